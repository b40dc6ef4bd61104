import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/_lib/random';
import { trainChurnModel } from '../../src/churn/trainChurnModel';
import type { ChurnRow, FeatureValue } from '../../src/churn/types';

/** A Telco-like table (tenure, charges, contract, flags) typed, and the same table as a CSV reader gives it. */
function telco(n: number): { typed: ChurnRow[]; csv: ChurnRow[] } {
  const rng = createRng('telco');
  const typed: ChurnRow[] = [];
  const csv: ChurnRow[] = [];
  for (let i = 0; i < n; i++) {
    const tenure = rng.int(72);
    const monthly = Math.round((18 + rng.next() * 100) * 100) / 100;
    // New customers have no TotalCharges yet: a blank cell in the CSV (" " in the real file).
    const total: number | null = tenure === 0 ? null : Math.round(monthly * tenure * 100) / 100;
    const contract = ['Month-to-month', 'One year', 'Two year'][rng.int(3)] as string;
    const senior = rng.next() < 0.16 ? 1 : 0;
    const paperless = rng.next() < 0.6 ? 'Yes' : 'No';
    const logit =
      -1 + (contract === 'Month-to-month' ? 1.5 : -0.5) - tenure / 30 + monthly / 80 + senior * 0.4;
    const churned = rng.next() < 1 / (1 + Math.exp(-logit));
    const t: Record<string, FeatureValue> = {
      tenure,
      MonthlyCharges: monthly,
      TotalCharges: total,
      Contract: contract,
      SeniorCitizen: senior,
      PaperlessBilling: paperless,
    };
    const c: Record<string, FeatureValue> = {
      tenure: String(tenure),
      MonthlyCharges: String(monthly),
      TotalCharges: total === null ? ' ' : String(total),
      Contract: contract,
      SeniorCitizen: String(senior),
      PaperlessBilling: paperless,
    };
    typed.push({ features: t, churned });
    csv.push({ features: c, churned });
  }
  return { typed, csv };
}

describe('numeric text (#11)', () => {
  const { typed, csv } = telco(1500);

  it('a CSV-typed Telco-like table (strings) trains the same model as the typed one', () => {
    for (const model of ['logistic', 'trees'] as const) {
      const a = trainChurnModel(typed, { model });
      const b = trainChurnModel(csv, { model });
      // TotalCharges stays one numeric column (was 30 one-hot categories plus "(other)").
      expect(b.encoder.columnNames()).toEqual(a.encoder.columnNames());
      expect(b.encoder.columnNames()).toContain('TotalCharges');
      if (model === 'logistic') expect(b.encoder.columnNames()).toContain('TotalCharges (missing)');
      expect(b.toJSON()).toEqual(a.toJSON());
      expect(Array.from(b.predictProbabilities(csv))).toEqual(Array.from(a.predictProbabilities(typed)));
    }
  });

  it('reports a column that mixes numbers and text, and encodes it as categories', () => {
    const rows: ChurnRow[] = typed.slice(0, 200).map((r, i) => ({
      features: { ...r.features, code: i % 10 === 0 ? 'n/a' : String(i % 4) },
      churned: r.churned,
    }));
    const m = trainChurnModel(rows);
    const w = m.warnings.find((x) => x.code === 'mixed_types');
    expect(w?.message).toBe(
      'column "code" mixes numbers (180 rows) and text (20 rows); it was encoded as categories. Clean the text cells to use it as a number.',
    );
    expect(m.encoder.columnNames().filter((c) => c.startsWith('code='))).toEqual([
      'code=0',
      'code=1',
      'code=2',
      'code=3',
      'code=n/a',
    ]);
  });
});
