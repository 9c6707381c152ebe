# kv-rollover operator image. Build: docker build -t ghcr.io/kv-rollover/kv-rollover:0.1.0 .
# (The image name is a placeholder until the project publishes one.) Pin the base images by digest in
# your own builds for reproducibility.

# --- build: bundle the TypeScript sources with the full (dev) toolchain
FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` would build before the sources are here; we build explicitly below.
# (esbuild needs no install script: it finds its binary in its platform package.)
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json ./
COPY scripts/bundle.js ./scripts/
COPY src ./src
RUN npm run build

# --- runtime: the bundle only. dist/ holds every dependency the CLI uses (scripts/bundle.js fails the
# build if one is left out), so the image has no node_modules.
FROM node:20-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json ./
COPY --from=build /app/dist ./dist
COPY bin ./bin
COPY crds ./crds
# Numeric, so Kubernetes' runAsNonRoot can verify it without /etc/passwd; matches deploy/operator/deployment.yaml.
USER 65532:65532
EXPOSE 8080 8081
ENTRYPOINT ["node", "bin/kv-rollover.js"]
CMD ["run"]
