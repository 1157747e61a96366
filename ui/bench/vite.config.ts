import { defineConfig } from 'vite';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The benchmark page is built apart from the app (never shipped in dist).
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  logLevel: 'warn',
  build: { outDir: join(tmpdir(), 'skein-ui-bench'), emptyOutDir: true, chunkSizeWarningLimit: 4000 },
});
