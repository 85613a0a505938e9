import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const apiTarget = process.env.TRIBUTARY_API ?? "http://localhost:3000";

/** The web app (console, portal, public pages); the API server serves dist/web in production. */
export default defineConfig({
  root: "web",
  base: "/",
  plugins: [react()],
  build: {
    outDir: "../dist/web",
    emptyOutDir: true,
    assetsDir: "assets",
    sourcemap: true,
  },
  server: {
    proxy: {
      "/v1": { target: apiTarget, changeOrigin: false },
      "/docs": { target: apiTarget },
      "/openapi.json": { target: apiTarget },
    },
  },
});
