"""Shaded volumes the figure and props are made of, and their ray intersections.

Rays share one origin `ro` (3,) (the camera centre) and have unit directions `rd` (N, 3); every
intersector returns (t (N,), normal (N, 3)) with t = distance along the ray in metres, inf on a miss.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Vec = npt.NDArray[np.float64]
Hit = tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]


@dataclass(frozen=True, slots=True)
class RoundCone:
    """Convex hull of two spheres: centres a, b (3,) m, radii ra, rb m. Tapered limbs and shoes."""

    name: str
    a: Vec
    b: Vec
    ra: float
    rb: float
    colour: tuple[float, float, float]  # linear-ish RGB in 0..1
    shine: float = 0.0                   # specular weight


@dataclass(frozen=True, slots=True)
class Ellipsoid:
    """Centre (3,) m, axes (3, 3) rotation (columns = local axes), radii (3,) m along those axes."""

    name: str
    centre: Vec
    axes: Vec
    radii: Vec
    colour: tuple[float, float, float]
    shine: float = 0.0


@dataclass(frozen=True, slots=True)
class Box:
    """Axis-aligned box in the scene frame, lo/hi (3,) corners in m. Props such as a couch."""

    name: str
    lo: Vec
    hi: Vec
    colour: tuple[float, float, float]
    shine: float = 0.0


Primitive = RoundCone | Ellipsoid | Box


def bounding_spheres(p: Primitive) -> list[tuple[Vec, float]]:
    """Spheres (centre, radius) whose union contains the primitive: used for screen bounding boxes."""
    if isinstance(p, RoundCone):
        return [(p.a, p.ra), (p.b, p.rb)]
    if isinstance(p, Ellipsoid):
        return [(p.centre, float(np.max(p.radii)))]
    centre = 0.5 * (p.lo + p.hi)
    return [(centre, float(np.linalg.norm(p.hi - centre)))]


def lowest_point(p: Primitive) -> float:
    """Lowest z of the primitive's surface (m): used to rest the figure on the floor."""
    if isinstance(p, RoundCone):
        return float(min(p.a[2] - p.ra, p.b[2] - p.rb))
    if isinstance(p, Ellipsoid):
        return float(p.centre[2] - np.sqrt(np.sum((p.axes[2, :] * p.radii) ** 2)))
    return float(p.lo[2])


def intersect_round_cone(p: RoundCone, ro: Vec, rd: Vec) -> Hit:
    """Analytic ray / round-cone intersection (after I. Quilez's closed form)."""
    ba = p.b - p.a
    oa = ro - p.a
    ob = ro - p.b
    rr = p.ra - p.rb
    m0 = float(ba @ ba)
    m1 = float(ba @ oa)
    m5 = float(oa @ oa)
    m7 = float(ob @ ob)
    m2 = rd @ ba
    m3 = rd @ oa
    m6 = rd @ ob
    d2 = m0 - rr * rr
    k2 = d2 - m2 * m2
    k1 = d2 * m3 - m1 * m2 + m2 * rr * p.ra
    k0 = d2 * m5 - m1 * m1 + m1 * rr * p.ra * 2.0 - m0 * p.ra * p.ra
    h = k1 * k1 - k0 * k2
    n = rd.shape[0]
    t = np.full(n, np.inf)
    normal = np.zeros((n, 3))
    with np.errstate(invalid="ignore", divide="ignore"):
        tb = (-np.sqrt(h) - k1) / k2
        y = m1 - p.ra * rr + tb * m2
        body = (h >= 0.0) & (y > 0.0) & (y < d2) & (tb > 0.0)
        h1 = m3 * m3 - m5 + p.ra * p.ra
        h2 = m6 * m6 - m7 + p.rb * p.rb
        t1 = np.where(h1 > 0.0, -m3 - np.sqrt(h1), np.inf)
        t2 = np.where(h2 > 0.0, -m6 - np.sqrt(h2), np.inf)
    use2 = t2 < t1
    tc = np.where(use2, t2, t1)
    caps = ~body & np.isfinite(tc) & (tc > 0.0)
    if body.any():
        t[body] = tb[body]
        nb = d2 * (oa[None, :] + tb[body, None] * rd[body]) - ba[None, :] * y[body, None]
        normal[body] = nb / np.linalg.norm(nb, axis=1, keepdims=True)
    if caps.any():
        t[caps] = tc[caps]
        centre = np.where(use2[caps, None], p.b[None, :], p.a[None, :])
        radius = np.where(use2[caps], p.rb, p.ra)
        normal[caps] = (ro[None, :] + tc[caps, None] * rd[caps] - centre) / radius[:, None]
    return t, normal


def intersect_ellipsoid(p: Ellipsoid, ro: Vec, rd: Vec) -> Hit:
    """Ray / ellipsoid: map to the unit sphere, solve the quadratic, map the normal back."""
    o = ((ro - p.centre) @ p.axes) / p.radii          # (3,)
    d = (rd @ p.axes) / p.radii[None, :]              # (N, 3)
    a = np.einsum("ij,ij->i", d, d)
    b = d @ o
    c = float(o @ o) - 1.0
    h = b * b - a * c
    n = rd.shape[0]
    t = np.full(n, np.inf)
    normal = np.zeros((n, 3))
    hit = h > 0.0
    if hit.any():
        th = (-b[hit] - np.sqrt(h[hit])) / a[hit]
        ok = th > 0.0
        idx = np.flatnonzero(hit)[ok]
        th = th[ok]
        t[idx] = th
        local = (o[None, :] + th[:, None] * d[idx]) / p.radii[None, :]
        nw = local @ p.axes.T
        normal[idx] = nw / np.linalg.norm(nw, axis=1, keepdims=True)
    return t, normal


def intersect_box(p: Box, ro: Vec, rd: Vec) -> Hit:
    """Ray / axis-aligned box by the slab method."""
    with np.errstate(divide="ignore", invalid="ignore"):
        inv = 1.0 / rd
        t0 = (p.lo[None, :] - ro[None, :]) * inv
        t1 = (p.hi[None, :] - ro[None, :]) * inv
    tmin = np.minimum(t0, t1)
    tmax = np.maximum(t0, t1)
    tnear = np.nanmax(tmin, axis=1)
    tfar = np.nanmin(tmax, axis=1)
    hit = (tnear <= tfar) & (tnear > 0.0)
    t = np.where(hit, tnear, np.inf)
    axis = np.argmax(np.nan_to_num(tmin, nan=-np.inf), axis=1)
    normal = np.zeros((rd.shape[0], 3))
    rows = np.arange(rd.shape[0])
    normal[rows, axis] = -np.sign(rd[rows, axis])
    return t, normal


def intersect(p: Primitive, ro: Vec, rd: Vec) -> Hit:
    """Dispatch on the primitive type."""
    if isinstance(p, RoundCone):
        return intersect_round_cone(p, ro, rd)
    if isinstance(p, Ellipsoid):
        return intersect_ellipsoid(p, ro, rd)
    return intersect_box(p, ro, rd)
