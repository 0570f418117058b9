/** A fresh script nonce for the panel's Content-Security-Policy, new for every render (Web Crypto: node and browsers alike). */
export function createNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(18));
  return btoa(String.fromCharCode(...bytes)).replace(/[+/=]/g, '');
}
