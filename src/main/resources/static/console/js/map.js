// The city as a plane: an equirectangular projection around the city's reference point, drawn in
// SVG with a 1 km grid. No map tiles, nothing from another origin.

const SVG = 'http://www.w3.org/2000/svg';
const METRES_PER_DEGREE = 111320;

function svg(tag, attrs = {}) {
  const element = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs)) element.setAttribute(key, String(value));
  return element;
}

// One symbol per kind, so that the kinds differ by shape as well as colour: an incident a large circle,
// a ride a small circle, an available driver a square.
function symbol(kind, x, y) {
  if (kind === 'driver') return svg('rect', { x: x - 4, y: y - 4, width: 8, height: 8, class: kind });
  return svg('circle', { cx: x, cy: y, r: kind === 'incident' ? 8 : 5, class: kind });
}

export function cityMap(title) {
  const width = 600;
  const height = 400;
  const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, class: 'map', role: 'img' });
  const label = svg('title');
  label.textContent = title;
  root.append(label);
  const layer = svg('g');
  root.append(layer);
  let reference = { lat: 6.45, lng: 3.4 };
  let halfWidthM = 10000;

  function project(lat, lng) {
    const x = (lng - reference.lng) * Math.cos((reference.lat * Math.PI) / 180) * METRES_PER_DEGREE;
    const y = (lat - reference.lat) * METRES_PER_DEGREE;
    const scale = width / 2 / halfWidthM;
    return [width / 2 + x * scale, height / 2 - y * scale];
  }

  function grid() {
    const scale = width / 2 / halfWidthM;
    for (let m = 0; m <= halfWidthM * 2; m += 1000) {
      const offset = m * scale;
      layer.append(svg('line', { x1: width / 2 + offset, y1: 0, x2: width / 2 + offset, y2: height, class: 'grid-line' }));
      layer.append(svg('line', { x1: width / 2 - offset, y1: 0, x2: width / 2 - offset, y2: height, class: 'grid-line' }));
      layer.append(svg('line', { x1: 0, y1: height / 2 + offset, x2: width, y2: height / 2 + offset, class: 'grid-line' }));
      layer.append(svg('line', { x1: 0, y1: height / 2 - offset, x2: width, y2: height / 2 - offset, class: 'grid-line' }));
    }
  }

  return {
    element: root,
    /** points: [{lat, lng, kind: 'incident'|'ride'|'driver', label}] */
    draw(points, referenceLat) {
      layer.replaceChildren();
      const located = points.filter(p => Number.isFinite(p.lat) && Number.isFinite(p.lng));
      if (located.length > 0) {
        const lat = Number.isFinite(referenceLat) ? referenceLat : located.reduce((s, p) => s + p.lat, 0) / located.length;
        const lng = located.reduce((s, p) => s + p.lng, 0) / located.length;
        reference = { lat, lng };
        const spread = Math.max(...located.map(p => Math.max(
          Math.abs(p.lng - lng) * Math.cos((lat * Math.PI) / 180) * METRES_PER_DEGREE,
          Math.abs(p.lat - lat) * METRES_PER_DEGREE * (width / height))));
        halfWidthM = Math.max(3000, spread * 1.3);
      }
      grid();
      for (const point of located) {
        const [x, y] = project(point.lat, point.lng);
        const mark = symbol(point.kind, x, y);
        const tip = svg('title');
        tip.textContent = point.label;
        mark.append(tip);
        layer.append(mark);
        // Drivers are many and unnamed: their symbol and tooltip suffice; rides and incidents get a label.
        if (point.kind !== 'driver') {
          const text = svg('text', { x: x + 10, y: y + 4 });
          text.textContent = point.label;
          layer.append(text);
        }
      }
    },
  };
}
