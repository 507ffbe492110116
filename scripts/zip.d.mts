// Types for scripts/zip.mjs (plain JavaScript so the build runs before any TypeScript tooling).
export function createZip(files: ReadonlyArray<{ name: string; data: Buffer }>): Buffer;
