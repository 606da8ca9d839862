import { readFileSync } from 'node:fs';
import { gzip } from 'node:zlib';
import { promisify } from 'node:util';

const gzipAsync = promisify(gzip);

/** A static file held in memory with its gzip form and an ETag. */
export interface StaticAsset {
  readonly body: Buffer;
  readonly contentType: string;
  readonly etag: string;
  /** Compressed once, on first demand. */
  gzipped(): Promise<Buffer>;
}

/** Loads `path` into memory (start-up time: a missing file stops the server with a clear message). */
export function loadAsset(path: string, contentType: string, version: string): StaticAsset {
  let body: Buffer;
  try {
    body = readFileSync(path);
  } catch (error) {
    throw new Error(`loadAsset(): cannot read ${path}: ${(error as Error).message}`);
  }
  let compressed: Promise<Buffer> | undefined;
  return {
    body,
    contentType,
    etag: `"${version}-${body.length.toString(36)}"`,
    gzipped: () => (compressed ??= gzipAsync(body, { level: 6 })),
  };
}
