import { PNG } from 'pngjs';

/** The accent colour of the app: the colour icon's background and the manifest's accentColor. */
export const ACCENT = { r: 0xc4, g: 0x31, b: 0x4b };
export const ACCENT_HEX = `#${[ACCENT.r, ACCENT.g, ACCENT.b]
  .map((channel) => channel.toString(16).padStart(2, '0'))
  .join('')}`;

type Point = [number, number];
type Shape = (x: number, y: number) => boolean;

// A warning sign in unit coordinates (0..1 across the icon), drawn the same way at both sizes.
const TRIANGLE: Point[] = [
  [0.5, 0.06],
  [0.97, 0.90625],
  [0.03, 0.90625],
];
// The bar sits on whole pixels of the 32×32 icon, so it stays crisp there.
const BAR = { left: 15 / 32, right: 17 / 32, top: 12 / 32, bottom: 20 / 32 };
const DOT = { x: 0.5, y: 0.725, r: 0.05 };

/** Draws color.png (192×192) and outline.png (32×32). Same input, same bytes: no time chunks. */
export function drawIcons(): { color: Buffer; outline: Buffer } {
  return { color: drawColorIcon(), outline: drawOutlineIcon() };
}

/** A white warning sign on the accent colour, within the central 96×96 area. */
function drawColorIcon(): Buffer {
  const sign = scaled(0.25, 0.5, insideTriangle(0));
  const mark = scaled(0.25, 0.5, exclamationMark);
  return paint(192, (x, y) => {
    const white = coverage(x, y, 192, (u, v) => sign(u, v) && !mark(u, v));
    return {
      r: blend(ACCENT.r, 255, white),
      g: blend(ACCENT.g, 255, white),
      b: blend(ACCENT.b, 255, white),
      a: 255,
    };
  });
}

/** The same sign as a white outline on a transparent background, as Teams requires. */
function drawOutlineIcon(): Buffer {
  const stroke = 2 / 32;
  const outline: Shape = (u, v) =>
    (insideTriangle(0)(u, v) && !insideTriangle(stroke)(u, v)) || exclamationMark(u, v);
  return paint(32, (x, y) => ({ r: 255, g: 255, b: 255, a: coverage(x, y, 32, outline) * 255 }));
}

function paint(
  size: number,
  pixel: (x: number, y: number) => { r: number; g: number; b: number; a: number },
): Buffer {
  const png = new PNG({ width: size, height: size, colorType: 6 });
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const { r, g, b, a } = pixel(x, y);
      const at = (y * size + x) * 4;
      png.data[at] = r;
      png.data[at + 1] = g;
      png.data[at + 2] = b;
      png.data[at + 3] = Math.round(a);
    }
  }
  return PNG.sync.write(png, { colorType: 6, deflateLevel: 9 });
}

/** The share of a pixel inside `shape`, from 8×8 samples: smooth edges without a library. */
function coverage(x: number, y: number, size: number, shape: Shape): number {
  const samples = 8;
  let hits = 0;
  for (let sy = 0; sy < samples; sy++) {
    for (let sx = 0; sx < samples; sx++) {
      if (shape((x + (sx + 0.5) / samples) / size, (y + (sy + 0.5) / samples) / size)) hits++;
    }
  }
  return hits / (samples * samples);
}

/** Points at least `inset` inside every edge of the triangle; inset 0 is the triangle itself. */
function insideTriangle(inset: number): Shape {
  return (u, v) =>
    TRIANGLE.every(([ax, ay], i) => {
      const [bx, by] = TRIANGLE[(i + 1) % TRIANGLE.length];
      const length = Math.hypot(bx - ax, by - ay);
      // The vertices run clockwise on screen, so the inside is where the cross product is positive.
      return ((bx - ax) * (v - ay) - (by - ay) * (u - ax)) / length >= inset;
    });
}

function exclamationMark(u: number, v: number): boolean {
  const inBar = u >= BAR.left && u <= BAR.right && v >= BAR.top && v <= BAR.bottom;
  return inBar || Math.hypot(u - DOT.x, v - DOT.y) <= DOT.r;
}

/** Fits a unit-square shape into the square starting at `offset` with side `side`. */
function scaled(offset: number, side: number, shape: Shape): Shape {
  return (u, v) => shape((u - offset) / side, (v - offset) / side);
}

function blend(from: number, to: number, share: number): number {
  return Math.round(from + (to - from) * share);
}
