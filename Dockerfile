# syntax=docker/dockerfile:1
# One image for the three services; the command picks one:
#   node services/ingest/dist/main.js | services/bridge/dist/main.js | services/consumer/dist/main.js
# Build from the repository root: docker build -t taskstream:dev .
ARG NODE_IMAGE=node:20-bookworm-slim

# ---- build: all dependencies, compile every workspace ------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY . .
# The npm cache mount keeps rebuilds after a source change fast without a layer per package.json.
RUN --mount=type=cache,target=/root/.npm \
    npm ci --no-audit --no-fund \
 && npx tsc -b \
 # Stage only what runs: every workspace manifest (npm ci needs the same workspace set
 # as the lock), the compiled services and libs, and the Lua scripts the queue lib reads.
 && mkdir /out \
 && find . -name package.json -not -path '*/node_modules/*' -exec cp --parents {} /out/ \; \
 && cp --parents package-lock.json /out/ \
 && cp -r --parents libs/*/dist services/*/dist libs/queue/lua /out/

# ---- runtime: production dependencies only, non-root, read-only friendly ------------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /out/ ./
# --omit=dev: no TypeScript, Jest or swc in the image. npm ci links the workspaces
# (node_modules/@taskstream/* -> libs/*, services/*), which is how the services find the libs.
RUN --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev --no-audit --no-fund --ignore-scripts \
 && rm -rf /root/.npm
# A numeric user (the image's `node`), so Kubernetes can check runAsNonRoot without a passwd lookup.
USER 1000:1000
EXPOSE 8080 8081 8082
# Node is PID 1: the services handle SIGTERM themselves (drain, then exit), so no init is needed.
CMD ["node", "services/ingest/dist/main.js"]
