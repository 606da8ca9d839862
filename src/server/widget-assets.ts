import { readFileSync, statSync } from 'node:fs';
import { gzip } from 'node:zlib';
import { promisify } from 'node:util';

const gzipAsync = promisify(gzip);

/** A static file served from memory, with its gzip form and an ETag. */
export interface StaticAsset {
  readonly contentType: string;
  readonly etag: string;
  /** The file, read on first demand (a server used only through its APIs never holds the 4 MB Web Chat bundle). */
  body(): Buffer;
  /** Compressed once, on first demand. */
  gzipped(): Promise<Buffer>;
}

/** Checks `path` at start-up (a missing file stops the server with a clear message) and serves it lazily. */
export function loadAsset(path: string, contentType: string, version: string): StaticAsset {
  let size: number;
  try {
    size = statSync(path).size;
  } catch (error) {
    throw new Error(`loadAsset(): cannot read ${path}: ${(error as Error).message}`);
  }
  let body: Buffer | undefined;
  let compressed: Promise<Buffer> | undefined;
  const read = (): Buffer => (body ??= readFileSync(path));
  return {
    contentType,
    etag: `"${version}-${size.toString(36)}"`,
    body: read,
    gzipped: () => (compressed ??= gzipAsync(read(), { level: 6 })),
  };
}
