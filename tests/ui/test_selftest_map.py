"""The self-test's map step decides requests with the app's policy and says what it refused."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from siteassess.assessment import assess
from siteassess.project import load_project
from tests.ui.conftest import SAMPLE


@pytest.fixture
def server() -> Iterator[tuple[int, list[str]]]:
    seen: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_address[1], seen
    httpd.shutdown()


def test_a_page_asking_the_network_fails_the_self_test_and_reaches_nothing(
    qtbot: Any, tmp_path: Path, server: tuple[int, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    from siteassess.reports import webmap
    from siteassess.ui.selftest_map import count_drawn_sites

    port, seen = server
    real = webmap.write_map_html

    def leaky(a: Any, target: Path, *args: Any, **kwargs: Any) -> Path:
        out = real(a, target, *args, **kwargs)
        html = out.read_text(encoding="utf-8").replace(
            "</head>",
            f'<script src="http://127.0.0.1:{port}/track.js"></script>'
            '<link rel="stylesheet" href="file:///etc/passwd"></head>',
        )
        out.write_text(html, encoding="utf-8")
        return out

    monkeypatch.setattr(webmap, "write_map_html", leaky)
    a = assess(load_project(SAMPLE))
    with pytest.raises(RuntimeError) as e:
        count_drawn_sites(a, tmp_path, timeout_s=60)
    assert f"http://127.0.0.1:{port}/track.js" in str(e.value)
    assert seen == []


def test_the_sample_map_draws_its_seven_sites(qtbot: Any, tmp_path: Path) -> None:
    from siteassess.ui.selftest_map import count_drawn_sites

    assert count_drawn_sites(assess(load_project(SAMPLE)), tmp_path, timeout_s=60) == 7
