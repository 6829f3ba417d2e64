"""The `tokenwatch` console script (the contract in DESIGN.md)."""

from __future__ import annotations

import contextlib
import functools
import logging
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TextIO, TypeVar

import orjson
import typer
from rich.console import Console

from graph.settings import Neo4jSettings

if TYPE_CHECKING:
    from graph.access import Graph

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    help="Tokenwatch: crawl, extract, link and alert on the AI token economy.",
)
neo4j_app = typer.Typer(no_args_is_help=True, help="The embedded Neo4j database.")
app.add_typer(neo4j_app, name="neo4j")
keys_app = typer.Typer(no_args_is_help=True, help="API keys (stored hashed in Neo4j).")
app.add_typer(keys_app, name="keys")
sources_app = typer.Typer(no_args_is_help=True, help="The source registry.")
app.add_typer(sources_app, name="sources")

err = Console(stderr=True)


def _logging(level: str) -> None:
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")


F = TypeVar("F", bound=Callable[..., Any])


def one_line_errors(fn: F) -> F:
    """Infrastructure and input errors end the command with one line on stderr saying what is
    wrong and what to do, and exit code 2: never a traceback."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from crawlers.errors import CrawlError
        from graph.errors import GraphError
        from tokenwatch.errors import TokenwatchError

        try:
            return fn(*args, **kwargs)
        except (GraphError, TokenwatchError, CrawlError) as exc:
            message = str(exc).strip().splitlines()[0] if str(exc).strip() else repr(exc)
        except UnicodeDecodeError as exc:
            message = (f"input is not valid {exc.encoding} past its first 64 KB "
                       f"({exc.reason}); convert the file to UTF-8")
        except OSError as exc:
            message = f"{exc.strerror or exc}" + (f": {exc.filename}" if exc.filename else "")
        err.print(f"[red]error:[/red] {message}", markup=True, highlight=False, soft_wrap=True)
        raise typer.Exit(2)

    return wrapper  # type: ignore[return-value]


@contextlib.contextmanager
def _open_input(path: str) -> Iterator[TextIO]:
    from tokenwatch.inputs import open_text

    with open_text(path, warn=sys.stderr) as fh:
        yield fh


@app.command()
@one_line_errors
def extract(
    file: Annotated[str, typer.Argument(help="JSONL file, or - for stdin")] = "-",
    reference_time: Annotated[
        str | None,
        typer.Option(
            "--reference-time",
            help="ISO date/time that dates in text resolve against when a line has no "
            "published_at (default: none: such dates stay unknown)",
        ),
    ] = None,
) -> None:
    """Extraction only: JSONL documents in, JSONL extractions out (DESIGN.md contract).

    A malformed line is reported on stderr with its line number and skipped; the exit code is
    1 when any line was bad, after every good line has been written."""
    from nlp import jsonl

    with _open_input(file) as inp:
        bad = jsonl.run(inp, sys.stdout, sys.stderr, reference_time)
    sys.stdout.flush()
    if bad:
        raise typer.Exit(1)


@app.command("eval")
def evaluate(
    path: Annotated[Path | None, typer.Argument(help="dev set (file or folder)")] = None,
    errors: Annotated[int, typer.Option(help="how many errors to list")] = 50,
    as_json: Annotated[
        bool, typer.Option("--json", help="figures only, as JSON (no error list, no passage text)")
    ] = False,
    origin: Annotated[
        str | None, typer.Option(help='only passages of this origin: "own" or "real-form"')
    ] = None,
) -> None:
    """Precision, recall and F1 of the extractor on annotated passages: overall, per type, per
    language variant and per form category, with the error list."""
    from nlp import evaluate as ev

    report = ev.evaluate(path, origin)
    if as_json:
        typer.echo(orjson.dumps(report.as_dict(), option=orjson.OPT_INDENT_2).decode())
        return
    typer.echo(ev.render(report, max_errors=errors))


@app.command()
@one_line_errors
def crawl(
    source_ids: Annotated[
        list[str] | None, typer.Argument(help="source ids (default: all enabled)")
    ] = None,
    sources: Annotated[Path | None, typer.Option("--sources", help="registry YAML file")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", help="no progress display")] = False,
    report: Annotated[Path | None, typer.Option(
        "--report", help="write what each poll found (JSON) there: the scheduler's input")] = None,
) -> None:
    """Crawl now and ingest: fetch, extract, link into Neo4j; ends with a per-source summary."""
    from crawlers.errors import CrawlError
    from graph.errors import GraphError
    from tokenwatch.settings import get_settings
    from tokenwatch.workflow import run_crawl

    settings = get_settings()
    _logging("WARNING" if not quiet else settings.log_level)
    try:
        runs = run_crawl(
            source_ids or [],
            sources or settings.sources_file,
            Neo4jSettings(),
            show_progress=not quiet,
            report=report,
        )
    except (CrawlError, GraphError) as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    from crawlers.display import summary_table

    Console().print(summary_table(runs))
    for run in runs:  # the scheduler keeps the last "error:" line as the run's detail
        if run.status == "failed":
            err.print(f"error: crawl of {run.source_id} failed: {run.detail or run.errors}",
                      markup=False, highlight=False, soft_wrap=True)
    if runs and all(r.status == "failed" for r in runs):
        raise typer.Exit(1)


@sources_app.command("check")
def sources_check(
    source_ids: Annotated[
        list[str] | None, typer.Argument(help="source ids (default: all enabled)")
    ] = None,
    sources: Annotated[Path | None, typer.Option("--sources", help="registry YAML file")] = None,
) -> None:
    """Fetch each source's listing and one article and print what was found: links, fields,
    which selectors/paths matched and what failed. Needs internet; never writes anything.
    Exit code 1 when any source has a problem."""
    from crawlers.check import HttpFetch, check_sources, render
    from crawlers.errors import CrawlError
    from crawlers.registry import load_sources, select
    from crawlers.runner import CrawlSettings, system_clock
    from tokenwatch.settings import get_settings

    try:
        chosen = select(load_sources(sources or get_settings().sources_file), source_ids)
    except CrawlError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    crawl = CrawlSettings()
    fetch = HttpFetch(crawl.identifying_user_agent(), crawl.robots_agent, crawl.download_timeout)
    try:
        checks = check_sources(chosen, fetch, system_clock)
    finally:
        fetch.close()
    typer.echo(render(checks))
    if not all(c.ok for c in checks):
        raise typer.Exit(1)


@app.command()
@one_line_errors
def ingest(
    file: Annotated[str, typer.Argument(help="JSONL documents (the extract input format), or -")],
    source: Annotated[str, typer.Option(help="source id to file the documents under")] = "ingest",
    create_source: Annotated[
        bool, typer.Option("--create-source", help="allow a --source id not known yet")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", help="no progress display")] = False,
) -> None:
    """Extract and link documents given as JSONL (same line format as `extract`); shows
    progress and ends with a summary."""
    from tokenwatch.display import ingest_progress, ingest_summary
    from tokenwatch.workflow import ingest_jsonl

    started = time.monotonic()
    with _open_input(file) as inp, ingest_progress(err, enabled=not quiet) as progress:
        result, bad = ingest_jsonl(
            inp, source, Neo4jSettings(), sys.stderr, create_source=create_source,
            progress=progress,
        )
    if not quiet:
        err.print(ingest_summary(result, bad, time.monotonic() - started))
    typer.echo(
        f"new={result.new} unchanged={result.unchanged} duplicates={result.duplicates} "
        f"errors={result.errors} bad_lines={bad}"
    )
    if bad:
        raise typer.Exit(1)


@app.command()
@one_line_errors
def up(
    port: Annotated[int | None, typer.Option(help="API port (TOKENWATCH_API_PORT)")] = None,
    host: Annotated[str | None, typer.Option(help="API host (TOKENWATCH_API_HOST)")] = None,
    no_scheduler: Annotated[bool, typer.Option("--no-scheduler", help="API only")] = False,
    role: Annotated[
        str | None,
        typer.Option(help="run one role of a scaled-out deployment: api | crawl-worker | "
                     "ingest-worker | delivery | scheduler (needs NEO4J_URI; README "
                     "\"Scaling out\"); default: everything in this process"),
    ] = None,
) -> None:
    """The service: embedded Neo4j (unless NEO4J_URI), the API and the crawl scheduler."""
    from tokenwatch.service import serve
    from tokenwatch.settings import get_settings

    settings = get_settings()
    _logging(settings.log_level)
    if role is not None:
        from tokenwatch.roles import run_role

        if role == "api":
            from tokenwatch.preflight import check_api_port

            check_api_port(host, port)
        run_role(role, settings, Neo4jSettings(), host=host, port=port)
        return
    from tokenwatch.preflight import check_api_port

    check_api_port(host, port)
    serve(settings, Neo4jSettings(), host=host, port=port, scheduler=not no_scheduler)


@neo4j_app.command("start")
@one_line_errors
def neo4j_start() -> None:
    """Start the embedded Neo4j in the background (data in TOKENWATCH_NEO4J_HOME)."""
    from graph import embedded

    settings = Neo4jSettings()
    if not settings.embedded:
        err.print(f"NEO4J_URI is set ({settings.uri}): nothing to start")
        raise typer.Exit(0)
    st = embedded.start_daemon(settings)  # GraphError: one line, exit 2 (one_line_errors)
    typer.echo(f"running pid={st.pid} uri={st.uri} home={settings.home.resolve()}")


@neo4j_app.command("stop")
def neo4j_stop() -> None:
    """Stop the background embedded Neo4j cleanly (SIGTERM, store closed)."""
    from graph import embedded

    stopped = embedded.stop_daemon(Neo4jSettings())
    typer.echo("stopped" if stopped else "not running")


@neo4j_app.command("status")
def neo4j_status() -> None:
    """Is the embedded Neo4j running, and does Bolt answer? Exit 0 when reachable, 3 when not."""
    from graph import embedded

    st = embedded.status(Neo4jSettings())
    if st.running:
        typer.echo(f"running pid={st.pid} uri={st.uri} reachable={st.reachable}")
    else:
        typer.echo("not running")
    raise typer.Exit(0 if st.running and st.reachable else 3)


@contextlib.contextmanager
def _graph() -> Iterator[Graph]:
    from graph.access import Graph
    from tokenwatch.workflow import graph_session

    neo4j = Neo4jSettings()
    # keys are managed in a running service's database: never launch one for it
    with graph_session(neo4j, start=False) as (driver, _uri):
        yield Graph(driver, neo4j.database, None)


@keys_app.command("create")
@one_line_errors
def keys_create(
    role: Annotated[str, typer.Option(help="reader | analyst | admin | operator")],
    owner: Annotated[str, typer.Option(help="who the key belongs to (owner of rules, webhooks)")],
    name: Annotated[str, typer.Option(help="a label for the key")] = "",
) -> None:
    """Create an API key and print it (shown once; only its hash is stored)."""
    from api.auth import ROLES, issue_key

    if role not in ROLES:
        err.print(f"[red]error:[/red] unknown role {role!r}; one of {', '.join(ROLES)}")
        raise typer.Exit(2)
    with _graph() as g:
        key, record = issue_key(g, role, owner, name)
    err.print(f"created key id={record.id} owner={owner} role={role}")
    typer.echo(key)


@keys_app.command("list")
@one_line_errors
def keys_list(
    owner: Annotated[str | None, typer.Option(help="only this owner's keys")] = None,
) -> None:
    """List keys (id, owner, role, name, created, revoked); never secrets."""
    from graph.apikeys import list_keys

    with _graph() as g:
        keys = list_keys(g, owner)
    for k in keys:
        typer.echo(f"{k.id}\t{k.owner}\t{k.role}\t{k.name or ''}\t{k.created_at}\t"
                   f"{'revoked' if k.revoked else 'active'}")


@keys_app.command("revoke")
@one_line_errors
def keys_revoke(key_id: Annotated[str, typer.Argument(help="the key id (tw_<id>_…)")]) -> None:
    """Revoke a key (idempotent). Running APIs stop accepting it within
    TOKENWATCH_API_KEY_CACHE_S seconds; at once when they share TOKENWATCH_REDIS_URL."""
    from api.settings import ApiSettings
    from graph.apikeys import revoke_key

    if key_id.startswith("tw_"):
        key_id = key_id.split("_")[1]
    with _graph() as g:
        found = revoke_key(g, key_id)
    if found is None:
        err.print(f"[red]error:[/red] no key with id {key_id!r}")
        raise typer.Exit(1)
    api = ApiSettings()
    if api.redis_url:  # the replicas' shared key cache forgets it now
        from api.shared import RedisKeyCache, connect

        client = connect(api.redis_url)
        try:
            RedisKeyCache(client, api.key_cache_s).drop(key_id)
        finally:
            client.close()
    typer.echo(f"revoked {key_id}")
