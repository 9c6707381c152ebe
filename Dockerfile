# kv-rollover operator image. Build: docker build -t ghcr.io/kv-rollover/kv-rollover:0.1.0 .
# (The image name is a placeholder until the project publishes one.) Pin the base images by digest in
# your own builds for reproducibility.

# --- build: compile TypeScript with the full (dev) toolchain
FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` would build before the sources are here; we build explicitly below.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# --- runtime: production dependencies and compiled output only
FROM node:20-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY bin ./bin
COPY crds ./crds
# Numeric, so Kubernetes' runAsNonRoot can verify it without /etc/passwd; matches deploy/operator/deployment.yaml.
USER 65532:65532
EXPOSE 8080 8081
ENTRYPOINT ["node", "bin/kv-rollover.js"]
CMD ["run"]
