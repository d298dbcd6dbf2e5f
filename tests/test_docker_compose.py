"""The Docker set-up (Dockerfile, docker-compose.yml, .dockerignore) lines up with the code.

No Docker engine is needed: the files are parsed and every name they use (the WSGI application,
the Celery app, the settings module, environment variables, services, volumes, URLs) is checked
against what the project actually defines. Renaming one side without the other fails here.
"""

import ast
import fnmatch
import importlib
import importlib.util
import json
import re
import shlex
import tomllib
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

import pytest
import yaml
from packaging.specifiers import SpecifierSet

ROOT = Path(__file__).resolve().parent.parent
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"
SETTINGS_FILE = ROOT / "diz_portal" / "settings.py"
PYPROJECT = ROOT / "pyproject.toml"

REQUIRED_SERVICES = {"web", "worker", "beat", "db", "redis"}
APP_SERVICES = ("web", "worker", "beat")
ESSENTIAL_VARIABLES = {
    "DATABASE_URL",
    "REDIS_URL",
    "SECRET_KEY",
    "DEBUG",
    "ALLOWED_HOSTS",
}
WSGI_PATH = "diz_portal.wsgi:application"
DEPENDS_ON_CONDITIONS = {
    "service_started",
    "service_healthy",
    "service_completed_successfully",
}
# Calls in settings.py whose first argument, a string literal, names an environment variable.
ENV_READING_CALLS = {"envbool", "envint", "envlist", "os.environ.get", "os.getenv"}


# ---------------------------------------------------------------------------------------------
# Reading the files
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text())


@pytest.fixture(scope="module")
def services(compose) -> dict:
    return compose["services"]


@pytest.fixture(scope="module")
def dockerfile() -> list[tuple[str, str]]:
    return read_dockerfile()


def read_dockerfile() -> list[tuple[str, str]]:
    """The Dockerfile as (INSTRUCTION, arguments) pairs, continuation lines joined, comments dropped."""
    instructions, current = [], ""
    for line in DOCKERFILE.read_text().splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.endswith("\\"):
            current += stripped[:-1] + " "
            continue
        current += stripped
        keyword, _, arguments = current.partition(" ")
        instructions.append((keyword.upper(), arguments.strip()))
        current = ""
    assert not current, "the Dockerfile ends in the middle of a continued line"
    return instructions


def instructions_named(dockerfile, keyword: str) -> list[str]:
    return [arguments for instruction, arguments in dockerfile if instruction == keyword]


def exec_form(arguments: str) -> list[str]:
    """A CMD/ENTRYPOINT/HEALTHCHECK CMD argument list, in exec (JSON) or shell form."""
    return json.loads(arguments) if arguments.startswith("[") else ["/bin/sh", "-c", arguments]


def settings_env_names() -> set[str]:
    """Every environment variable diz_portal/settings.py reads, found by parsing its source."""
    names = set()
    for node in ast.walk(ast.parse(SETTINGS_FILE.read_text())):
        if isinstance(node, ast.Call) and ast.unparse(node.func) in ENV_READING_CALLS and node.args:
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                names.add(first.value)
        if (
            isinstance(node, ast.Subscript)
            and ast.unparse(node.value) == "os.environ"
            and isinstance(node.slice, ast.Constant)
            and isinstance(node.slice.value, str)
        ):
            names.add(node.slice.value)
    return names


def settings_constant(name: str):
    """The literal value settings.py assigns to a module-level name."""
    for node in ast.parse(SETTINGS_FILE.read_text()).body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == name for t in node.targets):
            return ast.literal_eval(node.value)
    raise AssertionError(f"settings.py does not assign {name}")


def environment(service: dict) -> dict[str, str]:
    """A service's environment, whether written as a mapping or as a list of NAME=value."""
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.partition("=")[::2] for item in env)
    return {name: "" if value is None else str(value) for name, value in env.items()}


def interpolate(value: str) -> str:
    """Compose's ${VAR:-default} interpolation, with nothing set in the shell."""

    def replace(match: re.Match) -> str:
        if match.group(0) == "$$":
            return "$"
        operator, default = match.group(2), match.group(3)
        if operator in {":-", "-"}:
            return default
        if operator in {":?", "?"}:
            return "value-supplied-by-the-operator"
        return ""

    return re.sub(r"\$\$|\$\{(\w+)(?:(:?[-?])([^}]*))?\}|\$(\w+)", replace, value)


def commands(service: dict) -> list[list[str]]:
    """The command(s) a service runs: one argv, or each step of an `sh -c "a && b"` chain."""
    command = service.get("command") or []
    argv = shlex.split(command) if isinstance(command, str) else [str(word) for word in command]
    if len(argv) >= 3 and PurePosixPath(argv[0]).name in {"sh", "bash"} and argv[1] == "-c":
        return [shlex.split(step) for step in re.split(r"&&|;", argv[2]) if step.strip()]
    return [argv]


def command_running(service: dict, program: str) -> list[str]:
    for argv in commands(service):
        if argv and PurePosixPath(argv[0]).name == program:
            return argv
    raise AssertionError(f"no step of {service.get('command')!r} runs {program}")


def runs_migrations(argv: list[str]) -> bool:
    return "manage.py" in argv and "migrate" in argv


def depends_on(service: dict) -> dict[str, str]:
    """depends_on as {service: condition}, whether written as a list or a mapping."""
    value = service.get("depends_on") or {}
    if isinstance(value, list):
        return dict.fromkeys(value, "service_started")
    return {name: (options or {}).get("condition", "service_started") for name, options in value.items()}


def celery_app_and_subcommand(argv: list[str]) -> tuple[str, str]:
    """The -A/--app value and the subcommand of a `celery ...` command line."""
    app, subcommand, words = None, None, iter(argv[1:])
    for word in words:
        if word in {"-A", "--app"}:
            app = next(words)
        elif word.startswith("--app="):
            app = word.removeprefix("--app=")
        elif word.startswith("-A") and len(word) > 2:
            app = word[2:]
        elif not word.startswith("-"):
            subcommand = word
            break
    assert app, f"{argv} names no Celery app with -A"
    return app, subcommand


def volume_mounts(service: dict) -> dict[str, str]:
    """A service's volumes as {target path in the container: source}."""
    mounts = {}
    for volume in service.get("volumes") or []:
        if isinstance(volume, dict):
            mounts[volume["target"]] = volume.get("source", "")
        else:
            source, _, rest = volume.partition(":")
            mounts[rest.split(":")[0]] = source
    return mounts


# ---------------------------------------------------------------------------------------------
# docker-compose.yml: services and images
# ---------------------------------------------------------------------------------------------


def test_it_defines_the_web_worker_beat_db_and_redis_services(services):
    missing = REQUIRED_SERVICES - set(services)
    assert not missing, f"docker-compose.yml lacks the services {sorted(missing)}"


def test_it_builds_web_worker_and_beat_as_one_image_from_the_repositorys_dockerfile(
    services,
):
    builds = []
    for name in APP_SERVICES:
        build = services[name].get("build")
        assert build, f"{name} is not built from this repository"
        build = {"context": build} if isinstance(build, str) else build
        context = (COMPOSE_FILE.parent / build.get("context", ".")).resolve()
        dockerfile = (context / build.get("dockerfile", "Dockerfile")).resolve()
        assert context == ROOT, f"{name} builds from {context}, not the repository"
        assert dockerfile == DOCKERFILE and dockerfile.is_file(), f"{name} builds from {dockerfile}"
        builds.append((build, services[name].get("image")))
    assert all(build == builds[0] for build in builds), "web, worker and beat are built differently"


def test_it_runs_the_database_on_postgres_15_or_newer(services):
    image = services["db"]["image"]
    match = re.fullmatch(r"(?:docker\.io/)?(?:library/)?postgres:(\d+)(?:[.\-].*)?", image)
    assert match, f"the db service runs {image!r}, not a versioned postgres image"
    assert int(match.group(1)) >= 15


def test_it_runs_redis_for_the_broker_and_cache(services):
    assert re.fullmatch(r"(?:docker\.io/)?(?:library/)?redis:\d+.*", services["redis"]["image"])


# ---------------------------------------------------------------------------------------------
# docker-compose.yml: the commands match the code
# ---------------------------------------------------------------------------------------------


def test_it_runs_the_web_service_with_gunicorn_serving_the_projects_wsgi_application(
    services,
):
    argv = command_running(services["web"], "gunicorn")
    targets = [word for word in argv[1:] if re.fullmatch(r"[A-Za-z_][\w.]*:[A-Za-z_]\w*", word)]
    assert targets == [WSGI_PATH], f"gunicorn serves {targets}, not {WSGI_PATH}"

    module_name, attribute = WSGI_PATH.split(":")
    module = importlib.import_module(module_name)
    assert callable(getattr(module, attribute, None)), f"{module_name} has no WSGI callable {attribute}"
    assert settings_constant("WSGI_APPLICATION") == f"{module_name}.{attribute}"


def test_it_publishes_the_port_gunicorn_binds_to_which_the_dockerfile_exposes(services, dockerfile):
    argv = command_running(services["web"], "gunicorn")
    bind = next(argv[i + 1] for i, word in enumerate(argv) if word in {"--bind", "-b"})
    port = bind.rpartition(":")[2]
    published = [str(mapping).rpartition(":")[2] for mapping in services["web"].get("ports", [])]
    assert port in published, f"gunicorn binds {port} but web publishes {published}"
    assert port in " ".join(instructions_named(dockerfile, "EXPOSE")).split()


def test_it_applies_migrations_before_the_web_service_starts(services):
    web_steps = commands(services["web"])
    if any(runs_migrations(argv) for argv in web_steps):
        first_migrate = next(i for i, argv in enumerate(web_steps) if runs_migrations(argv))
        first_gunicorn = next(i for i, argv in enumerate(web_steps) if argv and argv[0] == "gunicorn")
        assert first_migrate < first_gunicorn
        return
    migrators = [
        name
        for name, condition in depends_on(services["web"]).items()
        if condition == "service_completed_successfully" and any(map(runs_migrations, commands(services[name])))
    ]
    assert migrators, "web neither runs `manage.py migrate` nor waits for a service that completes it"


@pytest.mark.parametrize("service_name, subcommand", [("worker", "worker"), ("beat", "beat")])
def test_it_runs_celery_from_the_projects_celery_app(services, service_name, subcommand):
    from celery.app.utils import find_app

    from diz_portal.celery import app as project_app

    app_name, found_subcommand = celery_app_and_subcommand(command_running(services[service_name], "celery"))
    assert found_subcommand == subcommand, f"{service_name} runs `celery {found_subcommand}`"
    # The same lookup `celery -A` performs.
    assert find_app(app_name) is project_app, f"`celery -A {app_name}` does not find diz_portal.celery.app"


def test_it_keeps_beats_schedule_file_out_of_the_code_directory(services):
    argv = command_running(services["beat"], "celery")
    schedule = next(
        (argv[i + 1] for i, word in enumerate(argv) if word in {"-s", "--schedule"}),
        None,
    )
    assert schedule, "beat would write celerybeat-schedule into /app, which the app user cannot write"
    assert not schedule.startswith("/app/")


# ---------------------------------------------------------------------------------------------
# docker-compose.yml: environment
# ---------------------------------------------------------------------------------------------


def test_settings_reads_the_variables_this_test_relies_on():
    # Guards the source parsing below: if settings stopped reading these, the checks would be hollow.
    assert settings_env_names() >= ESSENTIAL_VARIABLES


@pytest.mark.parametrize("service_name", APP_SERVICES)
def test_it_passes_the_app_services_only_variables_that_settings_reads(services, service_name):
    unknown = set(environment(services[service_name])) - settings_env_names()
    assert not unknown, f"{service_name} is given {sorted(unknown)}, which diz_portal/settings.py never reads"


@pytest.mark.parametrize("service_name", APP_SERVICES)
def test_it_passes_the_app_services_the_database_redis_key_debug_and_hosts(services, service_name):
    missing = ESSENTIAL_VARIABLES - set(environment(services[service_name]))
    assert not missing, f"{service_name} is not given {sorted(missing)}"


def test_every_service_built_from_the_dockerfile_gets_the_same_environment(services):
    built = [name for name, service in services.items() if service.get("build")]
    assert all(environment(services[name]) == environment(services["web"]) for name in built)


def test_it_points_database_url_at_the_db_service(services):
    import dj_database_url

    url = interpolate(environment(services["web"])["DATABASE_URL"])
    parts = urlsplit(url)
    db_env = {name: interpolate(value) for name, value in environment(services["db"]).items()}
    assert parts.hostname == "db" and "db" in services
    assert parts.port in {None, 5432}
    assert parts.username == db_env["POSTGRES_USER"]
    assert parts.password == db_env["POSTGRES_PASSWORD"]
    assert parts.path.lstrip("/") == db_env["POSTGRES_DB"]
    assert dj_database_url.parse(url)["ENGINE"] == "django.db.backends.postgresql"


def test_it_points_redis_url_at_the_redis_service(services):
    parts = urlsplit(interpolate(environment(services["web"])["REDIS_URL"]))
    assert parts.scheme == "redis"
    assert parts.hostname == "redis" and "redis" in services
    assert parts.port in {None, 6379}


def test_it_requires_a_secret_key_rather_than_shipping_one(services):
    assert re.fullmatch(r"\$\{SECRET_KEY:?\?[^}]*\}", environment(services["web"])["SECRET_KEY"])


def test_it_turns_debug_off(services, monkeypatch):
    from diz_portal.settings import envbool

    monkeypatch.setenv("DEBUG", interpolate(environment(services["web"])["DEBUG"]))
    assert envbool("DEBUG", True) is False


def test_it_shares_one_media_volume_between_web_and_worker_at_media_root(compose, services):
    media_root = environment(services["web"])["MEDIA_ROOT"]
    sources = {name: volume_mounts(services[name]).get(media_root) for name in ("web", "worker")}
    assert sources["web"] and sources["web"] == sources["worker"], f"media mounts at {media_root}: {sources}"
    assert sources["web"] in (compose.get("volumes") or {}), "the media volume is not a declared named volume"


def test_it_declares_every_named_volume_it_mounts(compose, services):
    declared = set(compose.get("volumes") or {})
    for name, service in services.items():
        for source in volume_mounts(service).values():
            if source and not source.startswith((".", "/", "~")):
                assert source in declared, f"{name} mounts the undeclared volume {source!r}"


# ---------------------------------------------------------------------------------------------
# docker-compose.yml: start-up order
# ---------------------------------------------------------------------------------------------


def test_every_depends_on_names_an_existing_service_with_a_known_condition(services):
    for name, service in services.items():
        for dependency, condition in depends_on(service).items():
            assert dependency in services, f"{name} depends on {dependency!r}, which is not a service"
            assert condition in DEPENDS_ON_CONDITIONS, f"{name} waits for {dependency} to be {condition!r}"


def test_every_service_waited_on_as_healthy_has_a_healthcheck(services):
    for service in services.values():
        for dependency, condition in depends_on(service).items():
            if condition == "service_healthy":
                check = services[dependency].get("healthcheck") or {}
                assert check.get("test") and not check.get("disable"), f"{dependency} has no healthcheck"


@pytest.mark.parametrize("service_name", APP_SERVICES)
def test_the_app_services_wait_for_a_healthy_database_and_redis(services, service_name):
    conditions = depends_on(services[service_name])
    assert conditions.get("db") == "service_healthy"
    assert conditions.get("redis") == "service_healthy"


# ---------------------------------------------------------------------------------------------
# Dockerfile
# ---------------------------------------------------------------------------------------------


def test_the_dockerfile_builds_on_a_slim_python_that_pyproject_allows(dockerfile):
    base = instructions_named(dockerfile, "FROM")[-1].split()[0]
    match = re.fullmatch(r"python:(\d+\.\d+)-slim(?:-\w+)?", base)
    assert match, f"the image is based on {base!r}"
    requires_python = SpecifierSet(tomllib.loads(PYPROJECT.read_text())["project"]["requires-python"])
    assert f"{match.group(1)}.0" in requires_python


def test_the_dockerfile_installs_weasyprints_system_libraries(dockerfile):
    installs = [run for run in instructions_named(dockerfile, "RUN") if "apt-get install" in run]
    assert installs, "the Dockerfile installs no system packages"
    packages = " ".join(installs).split()
    for library in ("libpango-1.0-0", "libpangoft2-1.0-0"):
        assert library in packages, f"WeasyPrint needs {library}"
    assert all("--no-install-recommends" in run and "/var/lib/apt/lists" in run for run in installs)


def test_the_dockerfile_installs_the_dependencies_pyproject_declares(dockerfile):
    runs = " ".join(instructions_named(dockerfile, "RUN"))
    copies = " ".join(instructions_named(dockerfile, "COPY"))
    assert "pyproject.toml" in copies and "pip install" in runs
    assert "pyproject.toml" in runs or re.search(r"pip install[^&]* \.(\s|$)", runs)


def test_the_dockerfile_points_django_at_the_projects_settings_module(dockerfile):
    env = " ".join(instructions_named(dockerfile, "ENV"))
    match = re.search(r"DJANGO_SETTINGS_MODULE[= ](\S+)", env)
    assert match, "the image does not set DJANGO_SETTINGS_MODULE"
    assert importlib.util.find_spec(match.group(1)) is not None
    assert Path(importlib.util.find_spec(match.group(1)).origin).resolve() == SETTINGS_FILE


def test_the_dockerfile_collects_static_files_with_a_key_used_only_for_that_step(
    dockerfile,
):
    collect = [run for run in instructions_named(dockerfile, "RUN") if "collectstatic" in run]
    assert collect and "--noinput" in collect[0] and "manage.py" in collect[0]
    assert "SECRET_KEY" not in " ".join(instructions_named(dockerfile, "ENV") + instructions_named(dockerfile, "ARG"))


def test_the_dockerfile_runs_as_a_non_root_user(dockerfile):
    users = instructions_named(dockerfile, "USER")
    assert users and users[-1].split(":")[0] not in {"root", "0"}


def test_the_dockerfile_runs_gunicorn_with_the_wsgi_application_by_default(dockerfile, services):
    argv = exec_form(instructions_named(dockerfile, "CMD")[-1])
    assert argv[0] == "gunicorn" and WSGI_PATH in argv
    assert argv == command_running(services["web"], "gunicorn"), "the image's CMD and compose's web command differ"


def test_the_dockerfile_healthcheck_probes_the_healthz_url_the_project_routes(
    dockerfile,
):
    from django.urls import resolve

    healthcheck = " ".join(instructions_named(dockerfile, "HEALTHCHECK"))
    assert "/healthz" in healthcheck and "urllib" in healthcheck
    assert "curl" not in healthcheck and "wget" not in healthcheck, "slim images have neither curl nor wget"
    importlib.import_module("diz_portal.wsgi")  # sets Django up, as gunicorn does
    assert resolve("/healthz").url_name == "healthz"


# ---------------------------------------------------------------------------------------------
# .dockerignore
# ---------------------------------------------------------------------------------------------


def _ignored(path: str, patterns: list[str]) -> bool:
    ignored = False
    for pattern in patterns:
        negated = pattern.startswith("!")
        pattern = pattern.lstrip("!").strip("/")
        if fnmatch.fnmatch(path, pattern) or fnmatch.fnmatch(path, pattern.removeprefix("**/")):
            ignored = not negated
    return ignored


def test_the_dockerignore_keeps_local_state_out_of_the_image():
    patterns = [line.strip() for line in DOCKERIGNORE.read_text().splitlines() if line.strip()[:1] not in {"", "#"}]
    for path in (
        ".venv",
        ".git",
        "node_modules",
        "db.sqlite3",
        "media",
        "staticfiles",
        "__pycache__",
    ):
        assert _ignored(path, patterns), f".dockerignore lets {path} into the image"


def test_the_dockerignore_lets_the_code_templates_and_static_files_in():
    patterns = [line.strip() for line in DOCKERIGNORE.read_text().splitlines() if line.strip()[:1] not in {"", "#"}]
    packages = tomllib.loads(PYPROJECT.read_text())["tool"]["setuptools"]["packages"]["find"]["include"]
    needed = ["manage.py", "pyproject.toml", "templates", "static"] + [name.rstrip("*") for name in packages]
    for path in needed:
        assert (ROOT / path).exists(), f"{path} is missing from the repository"
        assert not _ignored(path, patterns), f".dockerignore keeps {path} out of the image"
