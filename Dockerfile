# The scanner's image: worker, client and simulator (the command picks one).
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
# Dependencies need no install scripts, and a container needs no local Temporal CLI.
RUN npm ci --ignore-scripts
COPY tsconfig.json ./
COPY src ./src
USER node
CMD ["npm", "run", "worker"]
