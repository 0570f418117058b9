/**
 * A real folder holding the files a deployment must never be stuck on, exhausted by or made to
 * quote: a FIFO named like a hardware file, a model file linked to /dev/zero, a 10 MB model file,
 * files that are not ours holding a secret, and a hardware file outside the folder (directly and
 * through a symlink inside it). Shared by the config, CLI and server tests.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** FIFOs, /dev/zero and /proc are what the reproducers are about. */
export const onLinux = process.platform === 'linux';

/** Put in the environment and in files that are not ours: no message may ever show it. */
export const SECRET = 'roofline-test-secret-7f3a';

export interface HostileWorkspace {
  /** The workspace folder. */
  root: string;
  /** A sibling folder outside the workspace. */
  outside: string;
  uriOf(name: string): string;
  remove(): void;
}

export function makeHostileWorkspace(): HostileWorkspace {
  const base = mkdtempSync(join(tmpdir(), 'roofline-hostile-'));
  const root = join(base, 'workspace');
  const outside = join(base, 'elsewhere');
  mkdirSync(root);
  mkdirSync(outside);
  execFileSync('mkfifo', [join(root, 'pipe.hardware.yaml')]);
  symlinkSync('/dev/zero', join(root, 'x.model.json'));
  writeFileSync(join(root, 'big.model.json'), Buffer.alloc(10 * 1024 * 1024, 0x20));
  writeFileSync(join(root, 'package.json'), `{ "name": "app", "${SECRET}": 1, "scripts": {} }`);
  writeFileSync(join(root, 'compose.yaml'), `${SECRET}: 1\nservices: {}\n`);
  writeFileSync(join(root, 'lab.hardware.yaml'), 'extends: nvidia-l4\nname: lab card\n');
  writeFileSync(join(outside, 'far.hardware.yaml'), 'extends: nvidia-h100-sxm\n');
  symlinkSync(join(outside, 'far.hardware.yaml'), join(root, 'linked.hardware.yaml'));
  return {
    root,
    outside,
    uriOf: (name) => pathToFileURL(join(root, name)).href,
    remove: () => rmSync(base, { recursive: true, force: true }),
  };
}
