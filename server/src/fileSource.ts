import * as fs from 'node:fs';
import type { ByteSource } from './engine';

/** An open file as the engine's byte source (the engine reads through it; it opens nothing itself). */
export function fileSource(fd: number, size = fs.fstatSync(fd).size): ByteSource {
  return { size, read: (into, position) => fs.readSync(fd, into, 0, into.length, position) };
}
