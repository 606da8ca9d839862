# syntax=docker/dockerfile:1
# Two stages: `build` installs every dependency and compiles the TypeScript; the runtime image keeps only the
# compiled JavaScript, the data folders and the production dependencies, and runs as the unprivileged `node` user.
# scripts/check-dockerfile.sh runs these instructions on a clean copy where no Docker engine is available.

ARG NODE_VERSION=24

FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 compiles from source when no prebuilt binary matches (other CPUs, new Node releases).
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:${NODE_VERSION}-bookworm-slim
ENV NODE_ENV=production \
    DATA_DIR=/data \
    PORT=3978
WORKDIR /app
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/locales ./locales
COPY --from=build /app/content ./content
COPY --from=build /app/public ./public
RUN mkdir -p /data && chown node:node /data
USER node
# SQLite database, generated Direct Line secret: keep them across container restarts and upgrades.
VOLUME ["/data"]
EXPOSE 3978
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3978) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node, not npm: SIGTERM from `docker stop` reaches the server, which closes the database cleanly.
CMD ["node", "--no-deprecation", "dist/src/main.js"]
