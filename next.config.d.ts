// Types for next.config.js, whose security headers the production server (server/main.ts) also
// puts on the participant routes it serves itself.
import type { NextConfig } from "next";

export declare const securityHeaders: { key: string; value: string }[];
declare const nextConfig: NextConfig;
export default nextConfig;
