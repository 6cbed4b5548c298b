"""The package as `pip install .` makes it: a wheel built from the files the Dockerfile copies
into its image, installed in a fresh virtual environment and run from elsewhere, so that only
what the wheel ships can be found.

The environment borrows the dependencies of the one running the tests (a `.pth` file naming
its site-packages, as `--system-site-packages` would for an interpreter outside a virtual
environment), so nothing is downloaded to install the wheel.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from importlib import metadata
from pathlib import Path

import pytest

from claims.bundled import bundled_folder, seeds_folder

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def image_sources() -> list[str]:
    """What the Dockerfile copies into the image to install the package from."""
    found = []
    for line in (ROOT / "Dockerfile").read_text(encoding="utf-8").splitlines():
        if line.startswith("COPY "):
            found += [part.rstrip("/") for part in line.split()[1:-1]]
    return found


SOURCES = image_sources()
BUILD_BACKEND = PYPROJECT["build-system"]["requires"][0]  # "setuptools>=N"


def source_packages() -> set[str]:
    """Every folder of the two packages that holds Python files, as a dotted name."""
    found = set()
    for top in ("claims", "dashboard"):
        for path in (ROOT / top).rglob("*.py"):
            if "__pycache__" not in path.parts:
                found.add(".".join(path.parent.relative_to(ROOT).parts))
    return found


def test_every_package_of_the_sources_is_listed_for_the_wheel() -> None:
    listed = set(PYPROJECT["tool"]["setuptools"]["packages"])
    assert source_packages() <= listed
    mapped = PYPROJECT["tool"]["setuptools"]["package-dir"]
    for package in listed:
        folder = ROOT / mapped.get(package, package.replace(".", "/"))
        assert folder.is_dir(), f"{package}: no folder {folder}"


def test_the_checkout_finds_its_top_level_folders() -> None:
    assert seeds_folder() == ROOT / "seeds"
    assert bundled_folder("dashboard", "assets") == ROOT / "assets"
    assert bundled_folder("claims", "no-such-folder") is None


def test_a_folder_inside_the_package_comes_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "site" / "shipped"
    (package / "seeds").mkdir(parents=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / "site" / "seeds").mkdir()  # beside the package, but no checkout there
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    assert bundled_folder("shipped", "seeds") == package / "seeds"
    shutil.rmtree(package / "seeds")
    assert bundled_folder("shipped", "seeds") is None
    (tmp_path / "site" / "pyproject.toml").write_text("", encoding="utf-8")
    assert bundled_folder("shipped", "seeds") == tmp_path / "site" / "seeds"


def _backend_here() -> bool:
    """Whether the running environment has the build backend (then nothing is downloaded)."""
    name, _, least = BUILD_BACKEND.partition(">=")
    try:
        major = int(metadata.version(name).split(".")[0])
    except (metadata.PackageNotFoundError, ValueError):
        return False
    return major >= int(least.split(".")[0])


def run(args: list[str | Path], **kwargs) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [str(a) for a in args], capture_output=True, text=True, timeout=600, **kwargs
    )
    assert done.returncode == 0, f"{args}\n{done.stdout}\n{done.stderr}"
    return done


def build_and_install(base: Path) -> None:
    """Build the wheel from a copy of the image's sources into `base`, install it in a venv."""
    src = base / "src"
    src.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, src / name, ignore=ignore)
        else:
            shutil.copy2(ROOT / name, src / name)
    isolation = ["--no-build-isolation"] if _backend_here() else []
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check"]
    run([*pip, "wheel", src, "--no-deps", "-q", "-w", base / "wheels", *isolation])
    (wheel,) = (base / "wheels").glob("counterclaim-*.whl")
    python = base / "venv" / "bin" / "python"
    run([sys.executable, "-m", "venv", "--without-pip", base / "venv"])
    run([*pip, "--python", python, "install", "--no-deps", "--no-index", "-q", wheel])
    # the dependencies, borrowed once the wheel is in (pip then never sees this environment)
    code = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    site = Path(run([python, "-c", code]).stdout.strip())
    here = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (site / "_borrowed_dependencies.pth").write_text("\n".join(sorted(here)) + "\n")


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The installed wheel (built once per run, shared by the test workers) and a fresh home."""
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # the run's folder, above each worker's own
    base = shared / "package"
    with (shared / "package.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one worker builds, the others wait for it
        if not (base / "installed").exists():
            shutil.rmtree(base, ignore_errors=True)
            build_and_install(base)
            (base / "installed").touch()
    home = tmp_path_factory.mktemp("home")
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"PYTHONPATH", "COUNTERCLAIM_SEEDS", "COUNTERCLAIM_STORE", "PYTHONHOME"}
    }
    env.update(HOME=str(home), XDG_DATA_HOME=str(home / "data"))
    (wheel,) = (base / "wheels").glob("counterclaim-*.whl")
    venv = base / "venv"
    return {
        "wheel": wheel,
        "venv": venv,
        "python": venv / "bin" / "python",
        "home": home,
        "env": env,
    }


SERVE = r"""
import json, os, sys
import claims, dashboard
from claims.store import Store

seeded = Store(sys.argv[1]).ensure_seeded()  # a fresh store: the wheel's seeds
os.environ["COUNTERCLAIM_STORE"] = sys.argv[1]
from dashboard.wsgi import server  # what gunicorn serves in the image

client = server.test_client()
style = client.get("/assets/style.css")
script = client.get("/assets/upload-check.js")
page = client.get("/")
plotly = client.get("/_dash-component-suites/plotly/package_data/plotly.min.js")
print(json.dumps({
    "claims": claims.__file__,
    "dashboard": dashboard.__file__,
    "assets": str(dashboard.ASSETS),
    "seeded": seeded,
    "served": Store(sys.argv[1], read_only=True).articles_frame().title.tolist(),
    "style": [style.status_code, style.mimetype, style.get_data(as_text=True)],
    "script": script.status_code,
    "page": [page.status_code, page.get_data(as_text=True)],
    "plotly": [plotly.status_code, len(plotly.get_data())],
}))
"""


@pytest.mark.slow
def test_the_wheel_ships_every_module_seed_and_asset(installed: dict) -> None:
    names = set(zipfile.ZipFile(installed["wheel"]).namelist())
    for path in (ROOT / "claims").rglob("*"):
        if path.is_file() and "__pycache__" not in path.parts:
            assert str(path.relative_to(ROOT)) in names
    for path in (ROOT / "dashboard").rglob("*"):
        if path.is_file() and "__pycache__" not in path.parts:
            assert str(path.relative_to(ROOT)) in names
    for path in (ROOT / "seeds").iterdir():
        assert f"claims/seeds/{path.name}" in names
    for path in (ROOT / "assets").iterdir():
        assert f"dashboard/assets/{path.name}" in names
    assert not any(n.startswith(("seeds/", "assets/", "tests/")) for n in names)


@pytest.mark.slow
def test_the_installed_command_tells_its_version(installed: dict) -> None:
    done = run(
        [installed["venv"] / "bin" / "claims", "--version"],
        cwd=installed["home"],
        env=installed["env"],
    )
    assert done.stdout == f"claims {PYPROJECT['project']['version']}\n"


@pytest.mark.slow
def test_the_installed_package_seeds_a_store_and_serves_the_dashboard(installed: dict) -> None:
    store = installed["home"] / "store.duckdb"
    done = run(
        [installed["python"], "-c", SERVE, store], cwd=installed["home"], env=installed["env"]
    )
    got = json.loads(done.stdout.strip().splitlines()[-1])
    venv = str(installed["venv"].resolve())
    for key in ("claims", "dashboard", "assets"):
        assert got[key].startswith(venv), f"{key} comes from {got[key]}, not the wheel"
    assert got["assets"].endswith("dashboard/assets")
    seeds = sorted((ROOT / "seeds").glob("*.wiki"))
    assert got["seeded"] == len(seeds) == 5
    assert len(got["served"]) == len(seeds) and "Battle of Aleppo (2024)" in got["served"]
    status, mimetype, css = got["style"]
    assert (status, mimetype) == (200, "text/css")
    assert css == (ROOT / "assets" / "style.css").read_text(encoding="utf-8")
    assert got["script"] == 200
    status, html = got["page"]
    assert status == 200 and "/assets/style.css" in html and "Counterclaim" in html
    vendor = ROOT / "dashboard" / "vendor" / "plotly-cartesian.min.js"
    assert got["plotly"] == [200, vendor.stat().st_size]


@pytest.mark.slow
def test_the_installed_command_extracts_from_stdin(installed: dict) -> None:
    seed = ROOT / "seeds" / "battle-of-aleppo-2024.wiki"
    out = installed["home"] / "claims.jsonl"
    done = subprocess.run(
        [installed["venv"] / "bin" / "claims", "extract", "-", "-o", out],
        input=seed.read_bytes(),
        capture_output=True,
        cwd=installed["home"],
        env=installed["env"],
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) > 20 and {r["article"] for r in rows} == {"Battle of Aleppo (2024)"}
