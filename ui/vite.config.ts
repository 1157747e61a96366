import { defineConfig } from 'vite';
import { resolve } from 'node:path';

// Two pages: the link chart (index.html) and GraphiQL (graphiql.html).
// Assets are never inlined as data: URIs so the server's CSP can stay at
// 'self' for scripts, images, fonts and workers.
export default defineConfig({
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: false, // keep dist/.keep, which go:embed needs
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 8000,
    sourcemap: false,
    rollupOptions: {
      input: {
        main: resolve(import.meta.dirname, 'index.html'),
        graphiql: resolve(import.meta.dirname, 'graphiql.html'),
      },
      // React libraries mark modules "use client"; meaningless in a bundle.
      onwarn(warning, warn) {
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  worker: { format: 'es' },
  server: {
    proxy: {
      '/graphql': process.env.SKEIN_URL ?? 'http://127.0.0.1:8080',
      '/api': process.env.SKEIN_URL ?? 'http://127.0.0.1:8080',
    },
  },
});
