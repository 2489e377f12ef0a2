#include "berth/init/templates.h"

#include <map>

namespace berth::init {

std::string public_base_image(AppKind kind) { return kind == AppKind::Python ? "python:3.11-slim" : "busybox:1.36"; }
std::string local_base_image(AppKind kind) {
  return kind == AppKind::Python ? "berth-local/python:3.11" : "berth-local/busybox:latest";
}
std::string base_image_variable(AppKind kind) {
  return kind == AppKind::Python ? "BERTH_PYTHON_IMAGE" : "BERTH_BUSYBOX_IMAGE";
}
int default_port(AppKind kind) { return kind == AppKind::Python ? 8000 : 8080; }
std::string service_name(AppKind kind) { return kind == AppKind::Python ? "app" : "web"; }

namespace {

// Replaces every {{KEY}} in `text`; templates stay readable as the files
// they become.
std::string fill(std::string text, const std::map<std::string, std::string>& values) {
  for (const auto& [key, value] : values) {
    std::string marker = "{{" + key + "}}";
    for (size_t at = text.find(marker); at != std::string::npos; at = text.find(marker, at + value.size()))
      text.replace(at, marker.size(), value);
  }
  return text;
}

// The dependency layers of the builder stage: only the files that list the
// dependencies are copied, so a code change does not rebuild them.
std::string python_dependency_source(const Detection& d) {
  if (d.requirements_txt) return "COPY requirements.txt ./\n";
  return R"TPL(COPY pyproject.toml ./
# pyproject.toml's [project] dependencies, without the project itself.
RUN python3 -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb')).get('project', {}).get('dependencies', [])))" > requirements.txt
)TPL";
}

std::string python_dockerfile(const Detection& d) {
  bool has_dependencies = d.requirements_txt || d.pyproject_toml;
  std::string text = R"TPL(# Made by `berth init` for {{ENTRY}}. BASE_IMAGE is the Python image every stage
# starts from; compose.yaml passes ${{{BASE_VAR}}:-{{BASE}}}. Without a registry,
# berth's scripts/base_images.sh makes {{LOCAL_BASE}} from Debian packages.
ARG BASE_IMAGE={{BASE}}
)TPL";
  if (has_dependencies) {
    text += R"TPL(
# Builder: turns the dependencies into wheels and installs them into /deps.
# Compilers and headers a package may need are installed here, never below.
# pip's cache is a BuildKit cache mount (berth's default builder): kept
# between builds, never in a layer.
FROM ${BASE_IMAGE} AS builder
WORKDIR /build
)TPL" + python_dependency_source(d) +
            R"TPL(RUN --mount=type=cache,target=/root/.cache/pip \
    python3 -m pip wheel --wheel-dir /wheels -r requirements.txt \
 && python3 -m pip install --no-index --find-links /wheels --target /deps -r requirements.txt
)TPL";
  }
  if (!has_dependencies)
    text += R"TPL(
# No requirements.txt or pyproject.toml, so no builder stage: add one and run
# `berth init --force` for a stage that builds the dependencies' wheels.
)TPL";
  text += R"TPL(
# Final stage: the interpreter, the installed dependencies and the code.
FROM ${BASE_IMAGE}
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PYTHONPATH=/deps \
    APP_ENV=production \
    PORT={{PORT}}
# A fixed UID, so files and volumes have the same owner on every machine.
RUN groupadd --system --gid {{UID}} app \
 && useradd --system --uid {{UID}} --gid app --home-dir /app --no-create-home --shell /usr/sbin/nologin app
WORKDIR /app
COPY docker-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
)TPL";
  if (has_dependencies)
    text += R"TPL(# Dependencies change less often than the code: their layer comes first.
COPY --from=builder /deps /deps
)TPL";
  text += R"TPL(# The code belongs to root: the app user reads it but cannot change it.
COPY . .
USER app
EXPOSE {{PORT}}
HEALTHCHECK --interval=5s --timeout=3s --start-period=5s --retries=5 \
  CMD ["python3", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('PORT', '{{PORT}}') + '/', timeout=2)"]
ENTRYPOINT ["docker-entrypoint.sh"]
CMD {{COMMAND}}
)TPL";
  return text;
}

std::string static_dockerfile() {
  return R"TPL(# Made by `berth init` for a static site. BASE_IMAGE is a busybox image (its
# httpd serves the files); compose.yaml passes ${{{BASE_VAR}}:-{{BASE}}}.
# Without a registry, berth's scripts/setup.sh makes {{LOCAL_BASE}}.
ARG BASE_IMAGE={{BASE}}

# Stage one gathers the site, so the final image gets only the files to serve.
FROM ${BASE_IMAGE} AS site
COPY . /srv/www/
RUN mv /srv/www/docker-entrypoint.sh /docker-entrypoint.sh

FROM ${BASE_IMAGE}
# A fixed UID, so files and volumes have the same owner on every machine
# (written directly: not every busybox has adduser).
RUN echo 'web:x:{{UID}}:{{UID}}:web:/srv/www:/bin/false' >> /etc/passwd \
 && echo 'web:x:{{UID}}:' >> /etc/group
ENV APP_ENV=production
COPY --from=site /docker-entrypoint.sh /docker-entrypoint.sh
# The files belong to root: the web user reads them but cannot change them.
COPY --from=site /srv/www /srv/www
USER web
EXPOSE {{PORT}}
HEALTHCHECK --interval=5s --timeout=3s --retries=5 CMD ["wget", "-q", "-O", "/dev/null", "http://127.0.0.1:{{PORT}}/"]
ENTRYPOINT ["/docker-entrypoint.sh"]
CMD ["httpd", "-f", "-p", "{{PORT}}", "-h", "/srv/www"]
)TPL";
}

std::string dockerignore(AppKind kind) {
  std::string text = R"TPL(# Made by `berth init`: what the image never needs. .env files hold secrets.
.git
.gitignore
.env
.env.*
.dockerignore
Dockerfile
compose.yaml
dev.yml
)TPL";
  if (kind == AppKind::Python)
    text += R"TPL(__pycache__
*.pyc
.venv
venv
.pytest_cache
.mypy_cache
*.egg-info
dist
build
)TPL";
  return text;
}

std::string python_entrypoint() {
  return R"TPL(#!/bin/sh
# Made by `berth init`: the classic dev/prod entrypoint. APP_ENV chooses how
# the command runs; any command given (e.g. `berth run app sh`) runs as given.
set -eu
case "${APP_ENV:-production}" in
  development)
    # Python's development mode: more warnings, debug hooks, asyncio checks.
    export PYTHONDEVMODE=1
    ;;
  production)
    export PYTHONOPTIMIZE=1
    ;;
  *)
    echo "docker-entrypoint.sh: APP_ENV must be development or production, not '$APP_ENV'" >&2
    exit 64
    ;;
esac
exec "$@"
)TPL";
}

std::string static_entrypoint() {
  return R"TPL(#!/bin/sh
# Made by `berth init`: the classic dev/prod entrypoint. APP_ENV chooses how
# the command runs; any command given (e.g. `berth run web sh`) runs as given.
set -eu
case "${APP_ENV:-production}" in
  development)
    # httpd logs every request in development.
    if [ "$1" = httpd ]; then set -- "$@" -vv; fi
    ;;
  production) ;;
  *)
    echo "docker-entrypoint.sh: APP_ENV must be development or production, not '$APP_ENV'" >&2
    exit 64
    ;;
esac
exec "$@"
)TPL";
}

// The hardening every service gets, whatever the security level: what
// `standard` would set anyway is written out, so the file says it.
const char* kHardening = R"TPL(    read_only: true
    tmpfs:
      - /tmp
    cap_drop:
      - ALL
    security_opt:
      - no-new-privileges:true
    mem_limit: 256m
    cpus: 1.0
    pids_limit: 256
)TPL";

std::string compose_yaml(const Detection& d) {
  std::string text = R"TPL(# Made by `berth init` for a {{KIND}} ({{EVIDENCE}}).
#   berth up -d --build --wait             production settings, http://127.0.0.1:{{PORT}}/
#   berth --env dev up -d --build --wait   adds dev.yml: your source mounted, your UID/GID, the shell sidecar
#   berth --env watch watch                adds watch.yml: each saved change copied into the container
#   berth --env prod up -d --build --wait  strict security; services labelled not.for.prod are refused
# Without a registry: export {{BASE_VAR}}={{LOCAL_BASE}} (made by berth's
# scripts/base_images.sh), or run `berth init --force --base-image IMAGE`.
)TPL";
  if (d.kind == AppKind::Python)
    text += "# The app must listen on 0.0.0.0, port $PORT ({{PORT}}).\n";
  text += R"TPL(services:
  {{SERVICE}}:
    build:
      context: .
      args:
        BASE_IMAGE: ${{{BASE_VAR}}:-{{BASE}}}
    environment:
      APP_ENV: production
)TPL";
  if (d.kind == AppKind::Python) text += "      PORT: \"{{PORT}}\"\n";
  text += R"TPL(    ports:
      - "127.0.0.1:${APP_PORT:-{{PORT}}}:{{PORT}}"
    user: "{{UID}}:{{UID}}"  # the image's own user, said here so audits and strict see it before a build
    healthcheck:
      test: {{HEALTHCHECK}}
      interval: 5s
      timeout: 3s
      retries: 5
      start_period: 5s
)TPL";
  text += kHardening;
  text += R"TPL(    restart: on-failure:5

x-berth:
  environments:
    dev:
      files: [dev.yml]
      profiles: [dev]
    watch:
      files: [watch.yml]
    prod:
      security: strict
      forbid_labels: [not.for.prod]
)TPL";
  return text;
}

std::string dev_yml(const Detection& d) {
  std::string text = R"TPL(# Development layer, applied by `berth --env dev` (x-berth.environments.dev
# in compose.yaml): the source is bind-mounted so edits show without a
# rebuild, and containers run as you (UID and GID, which berth provides), so
# files they write here are yours. `shell` (profile dev) is a sidecar with
# the same image and files:
)TPL";
  if (d.kind == AppKind::Python)
    text += "#   berth --env dev attach shell   a Python REPL (detach: Ctrl-P Ctrl-Q)\n";
  text += R"TPL(#   berth --env dev exec shell sh
services:
  {{SERVICE}}:
    user: "${UID}:${GID}"
    environment:
      APP_ENV: development
    volumes:
      - type: bind
        source: .
        target: {{WORKDIR}}
  shell:
    profiles: [dev]
    labels:
      not.for.prod: "true"
    build:
      context: .
      args:
        BASE_IMAGE: ${{{BASE_VAR}}:-{{BASE}}}
    user: "${UID}:${GID}"
    environment:
      APP_ENV: development
    command: {{SHELL}}
    stdin_open: true
    tty: true
    healthcheck:
      disable: true  # the image's check is the app's
    volumes:
      - type: bind
        source: .
        target: {{WORKDIR}}
        read_only: true
)TPL";
  text += kHardening;
  return text;
}

// `berth --env watch watch`: the dev loop without a bind mount.
std::string watch_yml(const Detection& d) {
  const bool python = d.kind == AppKind::Python;
  std::string text = R"TPL(# Development with `berth watch`, applied by `berth --env watch`
# (x-berth.environments.watch in compose.yaml):
#   berth --env watch watch   build, start, then copy each saved change into the container
# instead of dev.yml's bind mount: the files belong to the container's user,
# the container writes nothing into your checkout, and a remote engine works.
)TPL";
  if (python)
    text += "# A code change restarts {{SERVICE}} (sync+restart); a dependency change rebuilds it.\n";
  else
    text += "# Changed files are served at once; a Dockerfile change rebuilds {{SERVICE}}.\n";
  text += R"TPL(services:
  {{SERVICE}}:
    read_only: false  # synced files are written into the container's filesystem
    environment:
      APP_ENV: development
    develop:
      watch:
)TPL";
  text += python ? "        - action: sync+restart\n" : "        - action: sync\n";
  text += R"TPL(          path: .
          target: {{WORKDIR}}
          ignore:  # and what .dockerignore leaves out of the image
            - Dockerfile
            - compose.yaml
            - dev.yml
            - watch.yml
)TPL";
  if (python) {
    if (d.requirements_txt) text += "            - requirements.txt\n";
    if (d.pyproject_toml) text += "            - pyproject.toml\n";
  }
  text += R"TPL(        - action: rebuild
          path: Dockerfile
)TPL";
  if (python && d.requirements_txt) text += "        - action: rebuild\n          path: requirements.txt\n";
  if (python && d.pyproject_toml) text += "        - action: rebuild\n          path: pyproject.toml\n";
  return text;
}

std::string python_command(const Detection& d, int port) {
  if (d.entry == "manage.py") return R"(["python3", "manage.py", "runserver", "0.0.0.0:)" + std::to_string(port) + "\"]";
  return R"(["python3", ")" + d.entry + "\"]";
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

}  // namespace

std::vector<ProjectFile> render(const Detection& d, const TemplateOptions& options) {
  int port = options.port > 0 ? options.port : default_port(d.kind);
  bool python = d.kind == AppKind::Python;
  // The same checks as the Dockerfile's HEALTHCHECK: compose's is what
  // `up --wait` and the audit see without building the image first.
  const std::string health_python =
      R"(["CMD", "python3", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('PORT', ')" +
      std::to_string(port) + R"TPL(') + '/', timeout=2)"])TPL";
  const std::string health_static =
      R"(["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:)" + std::to_string(port) + R"(/"])";
  std::map<std::string, std::string> values{
      {"BASE", options.base_image.empty() ? public_base_image(d.kind) : options.base_image},
      {"LOCAL_BASE", local_base_image(d.kind)},
      {"BASE_VAR", base_image_variable(d.kind)},
      {"PORT", std::to_string(port)},
      {"UID", std::to_string(kAppUid)},
      {"SERVICE", service_name(d.kind)},
      {"KIND", to_string(d.kind)},
      {"HEALTHCHECK", python ? health_python : health_static},
      {"EVIDENCE", join(d.evidence)},
      {"ENTRY", d.entry},
      {"WORKDIR", python ? "/app" : "/srv/www"},
      {"SHELL", python ? R"(["python3"])" : R"(["sh"])"},
      {"COMMAND", python ? python_command(d, port) : ""},
  };
  return {
      {"Dockerfile", fill(python ? python_dockerfile(d) : static_dockerfile(), values)},
      {".dockerignore", dockerignore(d.kind)},
      {"compose.yaml", fill(compose_yaml(d), values)},
      {"dev.yml", fill(dev_yml(d), values)},
      {"watch.yml", fill(watch_yml(d), values)},
      {"docker-entrypoint.sh", python ? python_entrypoint() : static_entrypoint(), true},
  };
}

}  // namespace berth::init
