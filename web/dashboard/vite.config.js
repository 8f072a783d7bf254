import { defineConfig } from "vite";

// The page is served by the gateway at /, its assets under /assets with content hashes (cached for good there).
export default defineConfig({
  base: "/",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    assetsDir: "assets",
    // No inline assets: the gateway's Content-Security-Policy allows the page's own files only.
    assetsInlineLimit: 0,
    sourcemap: false,
  },
  server: {
    // `npm run dev` talks to a gateway running locally (./run.sh starts one on 8080).
    proxy: { "/api": "http://127.0.0.1:8080", "/analytics": "http://127.0.0.1:8080" },
  },
});
