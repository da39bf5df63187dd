"""Route lengths along a fibre line network: site → nearest fibre → shortest path → exchange.

The network is a graph of the lines' end points (snapped to ``SNAP_M``), each line an edge
of its length in the working CRS. Each exchange is joined to every network node by a
straight leg of route factor × geodesic distance, so a far exchange (Frankfurt from Lille)
is reached by leaving the network where that is shortest. Sites join the network at the
nearest point of the nearest line, by a leg of route factor × their distance to it.
"""

from __future__ import annotations

import numpy as np
import shapely
from pyproj import CRS, Geod, Transformer
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components, dijkstra

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
    net = coo_matrix((length, (a, b)), shape=(n_nodes, n_nodes)).tocsr()
    n_comp, _ = connected_components(net, directed=False)
    if n_comp != 1:
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
    rows = np.repeat(np.arange(n_ex) + n_nodes, n_nodes)
    cols = np.tile(np.arange(n_nodes), n_ex)
    weights = np.r_[length, route_factor * np.asarray(leg) + 1e-9]
    graph = coo_matrix(
        (weights, (np.r_[a, rows], np.r_[b, cols])), shape=(n_nodes + n_ex, n_nodes + n_ex)
    ).tocsr()
    dist = dijkstra(graph, directed=False, indices=np.arange(n_ex) + n_nodes)  # (ex, nodes)

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
