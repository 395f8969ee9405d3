// TopoJSON -> GeoJSON for the shipped boundary files (Polygon / MultiPolygon, quantized, delta-encoded arcs).
interface Topology {
  arcs: number[][][];
  transform?: { scale: [number, number]; translate: [number, number] };
  objects: Record<string, { geometries: { type: string; arcs: unknown; properties: Record<string, unknown> }[] }>;
}
export interface Feature { type: 'Feature'; properties: Record<string, unknown>; geometry: { type: string; coordinates: unknown } }

export function toGeoJson(topo: Topology): { type: 'FeatureCollection'; features: Feature[] } {
  const tr = topo.transform;
  const arcs = topo.arcs.map((arc) => {
    let x = 0, y = 0;
    return arc.map(([dx, dy]) => {
      if (!tr) return [dx, dy];
      x += dx; y += dy;
      return [x * tr.scale[0] + tr.translate[0], y * tr.scale[1] + tr.translate[1]];
    });
  });
  const ring = (idx: number[]) => {
    const out: number[][] = [];
    for (const i of idx) {
      const a = i < 0 ? arcs[~i].slice().reverse() : arcs[i];
      a.forEach((p, k) => { if (k > 0 || out.length === 0) out.push(p); });
    }
    return out;
  };
  const obj = Object.values(topo.objects)[0];
  const features: Feature[] = obj.geometries.map((g) => ({
    type: 'Feature',
    properties: g.properties,
    geometry: g.type === 'Polygon'
      ? { type: 'Polygon', coordinates: (g.arcs as number[][]).map(ring) }
      : { type: 'MultiPolygon', coordinates: (g.arcs as number[][][]).map((p) => p.map(ring)) },
  }));
  return { type: 'FeatureCollection', features };
}
