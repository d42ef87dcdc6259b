/** A claimed figure in words: "4 percent", "250,000,000 EUR", "100,000–150,000 troops". */
import type { Schemas } from '../api/client';

export type FoundFigure = Schemas['FoundFigure'];

function number(value: string): string {
  const [int = '0', frac] = value.split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return frac ? `${grouped}.${frac}` : grouped;
}

export function figureInWords(f: Pick<FoundFigure, 'value' | 'value_max' | 'unit'>): string {
  const amount = f.value_max ? `${number(f.value)}–${number(f.value_max)}` : number(f.value);
  return f.unit === 'percent' ? `${amount} percent` : `${amount} ${f.unit}`;
}
