# syntax=docker/dockerfile:1
# One image for every role: APP_ROLE=api|worker|scheduler|all (see deploy/kubernetes/).
#   docker build -t longhaul .
#   docker run --rm -p 127.0.0.1:3000:3000 longhaul          # embedded profile, data in the container
# Checked by test/deployables.e2e-spec.ts (no container runtime runs in CI).

ARG NODE_IMAGE=node:20-bookworm-slim

# ---- build: the TypeScript compiler and every dev dependency, thrown away afterwards ---------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# ---- runtime: production dependencies only, running as the image's unprivileged `node` user -------
FROM ${NODE_IMAGE} AS runtime
ENV PORT=3000 \
    HOST=0.0.0.0 \
    DATA_DIR=/app/data
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# The dashboard's files are read at start from src/dashboard/public under the package root.
COPY src/dashboard/public ./src/dashboard/public
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000
# Liveness only (the process answers); readiness (/health/ready) also needs the database.
HEALTHCHECK --interval=15s --timeout=3s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health/live').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# main.ts stops on SIGTERM: running jobs get SHUTDOWN_GRACE_MS to finish, then are released for another worker.
STOPSIGNAL SIGTERM
CMD ["node", "dist/main.js"]
