import { randomBytes } from 'node:crypto';

/** A fresh script nonce for the panel's Content-Security-Policy, new for every render. */
export function createNonce(): string {
  return randomBytes(18).toString('base64').replace(/[+/=]/g, '');
}
