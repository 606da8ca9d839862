import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
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

/**
 * Checks `path` at start-up (a missing file stops the server with a clear message) and serves it lazily. The ETag
 * is a hash of the content, so any edit (even one that keeps the size) reaches browsers; the bytes read for it are
 * not kept.
 */
export function loadAsset(path: string, contentType: string, label: string): StaticAsset {
  let etag: string;
  try {
    etag = `"${label}-${createHash('sha256').update(readFileSync(path)).digest('base64url').slice(0, 22)}"`;
  } catch (error) {
    throw new Error(`loadAsset(): cannot read ${path}: ${(error as Error).message}`);
  }
  let body: Buffer | undefined;
  let compressed: Promise<Buffer> | undefined;
  const read = (): Buffer => (body ??= readFileSync(path));
  return {
    contentType,
    etag,
    body: read,
    gzipped: () => (compressed ??= gzipAsync(read(), { level: 6 })),
  };
}
