# The scikit-learn side of bench/churnTable.bench.ts: the harness's scale task (sidebyside_scale.py)
# logistic fit, in this fresh process. Fits StandardScaler +
# LogisticRegression(C=0.1, solver='newton-cholesky', tol=1e-8, max_iter=100) on the first 80,000
# rows, timed as the harness times it, and prints one JSON line: wall and CPU seconds, the
# coefficients on the standardised columns and the intercept. The CSV is read with pandas as the
# harness reads it (numpy when pandas is absent), outside the timing. Usage: python3 _scaleLogistic.py scale.csv
import sys, time, json, warnings
warnings.filterwarnings('ignore')
import numpy as np
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import LogisticRegression

try:  # as the harness reads it (pandas: X is the frame's values, column-major)
    import pandas as pd
    df = pd.read_csv(sys.argv[1])
    y = df.pop('y').values
    X = df.values
    names = list(df.columns)
except ImportError:
    with open(sys.argv[1]) as f:
        header = f.readline().strip().split(',')
    data = np.loadtxt(sys.argv[1], delimiter=',', skiprows=1)
    iy = header.index('y')
    y = data[:, iy]
    X = np.asfortranarray(np.delete(data, iy, axis=1))
    names = [h for h in header if h != 'y']
ntr = 80_000
m = make_pipeline(StandardScaler(), LogisticRegression(C=0.1, solver='newton-cholesky', tol=1e-8, max_iter=100))
c0, t0 = time.process_time(), time.perf_counter()
m.fit(X[:ntr], y[:ntr])
wall, cpu = time.perf_counter() - t0, time.process_time() - c0
lr = m[-1]
print(json.dumps({'wall_s': wall, 'cpu_s': cpu, 'coef': lr.coef_[0].tolist(), 'intercept': float(lr.intercept_[0]), 'names': names}))
