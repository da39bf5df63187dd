"""Route lengths along a fibre line network: site → nearest fibre → shortest path → exchange.

The network is a graph of the lines' end points (snapped to ``SNAP_M``), each line an edge
of its length in the working CRS. Each exchange is joined to every network node by a
straight leg of route factor × geodesic distance, so a far exchange (Frankfurt from Lille)
is reached by leaving the network where that is shortest. Sites join the network at the
nearest point of the nearest line, by a leg of route factor × their distance to it.
"""

from __future__ import annotations

import heapq

import numpy as np
import shapely
from pyproj import CRS, Geod, Transformer

SNAP_M = 1.0
_GEOD = Geod(ellps="WGS84")


def route_lengths_m(
    sites: np.ndarray,
    lines: np.ndarray,
    exchanges: np.ndarray,
    crs: CRS,
    route_factor: float,
) -> np.ndarray | None:
    """Route length (m) from each site to each exchange along the network.

    Returns an array (sites × exchanges), or None when the lines do not form one
    connected network.
    """
    parts = shapely.get_parts(lines)
    parts = parts[shapely.length(parts) > 0]
    if len(parts) == 0:
        return None
    start = shapely.get_coordinates(shapely.get_point(parts, 0))
    end = shapely.get_coordinates(shapely.get_point(parts, -1))
    keys = np.round(np.vstack([start, end]) / SNAP_M).astype(np.int64)
    nodes, inverse = np.unique(keys, axis=0, return_inverse=True)
    inverse = inverse.ravel()
    n_lines, n_nodes = len(parts), len(nodes)
    a, b = inverse[:n_lines], inverse[n_lines:]
    length = shapely.length(parts)
    adjacency = _adjacency(n_nodes, a, b, length)
    if not _connected(adjacency):
        return None

    # Exchanges as extra nodes, joined to every network node by a geodesic leg.
    to_ll = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    node_xy = nodes.astype(float) * SNAP_M
    nlon, nlat = to_ll.transform(node_xy[:, 0], node_xy[:, 1])
    ex_xy = shapely.get_coordinates(exchanges)
    elon, elat = to_ll.transform(ex_xy[:, 0], ex_xy[:, 1])
    n_ex = len(ex_xy)
    _, _, leg = _GEOD.inv(
        np.tile(nlon, n_ex), np.tile(nlat, n_ex), np.repeat(elon, n_nodes), np.repeat(elat, n_nodes)
    )
    legs = route_factor * np.asarray(leg).reshape(n_ex, n_nodes)
    # Shortest route from each exchange to every node: leave the exchange by the best leg.
    dist = np.vstack([_dijkstra(legs[k], adjacency) for k in range(n_ex)])  # (ex, nodes)

    # Where each site meets the network.
    tree = shapely.STRtree(parts)
    (si, li), access = tree.query_nearest(sites, return_distance=True, all_matches=False)
    order = np.argsort(si)
    li, access = li[order], access[order]
    on_line = shapely.get_point(shapely.shortest_line(sites, parts[li]), 1)
    t = shapely.line_locate_point(parts[li], on_line)
    to_a = t[:, None] + dist[:, a[li]].T
    to_b = (length[li] - t)[:, None] + dist[:, b[li]].T
    result: np.ndarray = route_factor * access[:, None] + np.minimum(to_a, to_b)
    return result


Adjacency = list[list[tuple[int, float]]]


def _adjacency(n: int, a: np.ndarray, b: np.ndarray, length: np.ndarray) -> Adjacency:
    """Undirected adjacency lists of the network (node -> [(neighbour, metres)])."""
    adj: Adjacency = [[] for _ in range(n)]
    for u, v, w in zip(a.tolist(), b.tolist(), length.tolist(), strict=True):
        adj[u].append((v, w))
        adj[v].append((u, w))
    return adj


def _connected(adj: Adjacency) -> bool:
    """True when every node can be reached from node 0."""
    seen = {0}
    stack = [0]
    while stack:
        for v, _ in adj[stack.pop()]:
            if v not in seen:
                seen.add(v)
                stack.append(v)
    return len(seen) == len(adj)


def _dijkstra(start: np.ndarray, adj: Adjacency) -> np.ndarray:
    """Shortest distances over the network from a source joined to node i at cost start[i].

    Runs once per exchange over the (small) network graph, not per site.
    """
    dist = start.astype(float).copy()
    heap = [(d, i) for i, d in enumerate(dist.tolist())]
    heapq.heapify(heap)
    done = np.zeros(len(dist), dtype=bool)
    while heap:
        d, u = heapq.heappop(heap)
        if done[u]:
            continue
        done[u] = True
        for v, w in adj[u]:
            nd = d + w
            if nd < dist[v]:
                dist[v] = nd
                heapq.heappush(heap, (nd, v))
    return dist
