;; Column sweeps of the feature encoder's standardisation (src/churn/_design.ts: columnStats,
;; columnSumSquares, scaleColumns) over an n x d row-major f64 matrix x, run on the matrix the encoder
;; builds in the logistic kernels' memory (this module imports the same memory as _logistic.wat; it is
;; a module of its own to keep each under 4 KB). Each column is summed in row order, exactly as the
;; TypeScript loops do; an odd d ends with a scalar column. Pointers are byte offsets.
(module
  (import "env" "memory" (memory 1))

  ;; colstats(x, n, d, cnt, sum, mx): per column, cnt += 1, sum += v and mx = max(mx, |v|) over its
  ;; finite cells v (v − v = 0).
  (func (export "colstats") (param $x i32) (param $n i32) (param $d i32) (param $cnt i32)
      (param $sum i32) (param $mx i32)
    (local $end i32) (local $de i32) (local $off i32) (local $v v128) (local $fin v128) (local $s f64)
    (local.set $end (i32.add (local.get $x) (i32.shl (i32.mul (local.get $n) (local.get $d)) (i32.const 3))))
    (local.set $de (i32.shl (i32.and (local.get $d) (i32.const -2)) (i32.const 3)))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
        (local.set $off (i32.const 0))
        (block $colsDone
          (loop $cols
            (br_if $colsDone (i32.ge_u (local.get $off) (local.get $de)))
            (local.set $v (v128.load (i32.add (local.get $x) (local.get $off))))
            (local.set $fin (f64x2.eq (f64x2.sub (local.get $v) (local.get $v)) (v128.const f64x2 0 0)))
            (local.set $v (v128.and (local.get $v) (local.get $fin)))
            (v128.store (i32.add (local.get $cnt) (local.get $off)) (f64x2.add
              (v128.load (i32.add (local.get $cnt) (local.get $off)))
              (v128.and (v128.const f64x2 1 1) (local.get $fin))))
            (v128.store (i32.add (local.get $sum) (local.get $off)) (f64x2.add
              (v128.load (i32.add (local.get $sum) (local.get $off))) (local.get $v)))
            (v128.store (i32.add (local.get $mx) (local.get $off)) (f64x2.pmax
              (v128.load (i32.add (local.get $mx) (local.get $off))) (f64x2.abs (local.get $v))))
            (local.set $off (i32.add (local.get $off) (i32.const 16)))
            (br $cols)))
        (if (i32.and (local.get $d) (i32.const 1))
          (then
            (local.set $s (f64.load (i32.add (local.get $x) (local.get $de))))
            (if (f64.eq (f64.sub (local.get $s) (local.get $s)) (f64.const 0))
              (then
                (f64.store (i32.add (local.get $cnt) (local.get $de))
                  (f64.add (f64.load (i32.add (local.get $cnt) (local.get $de))) (f64.const 1)))
                (f64.store (i32.add (local.get $sum) (local.get $de))
                  (f64.add (f64.load (i32.add (local.get $sum) (local.get $de))) (local.get $s)))
                (local.set $s (f64.abs (local.get $s)))
                (if (f64.gt (local.get $s) (f64.load (i32.add (local.get $mx) (local.get $de))))
                  (then (f64.store (i32.add (local.get $mx) (local.get $de)) (local.get $s))))))))
        (local.set $x (i32.add (local.get $x) (i32.shl (local.get $d) (i32.const 3))))
        (br $rows))))

  ;; sumsq(x, n, d, mean, sq): per column, sq += (v − mean)².
  (func (export "sumsq") (param $x i32) (param $n i32) (param $d i32) (param $mean i32) (param $sq i32)
    (local $end i32) (local $de i32) (local $off i32) (local $v v128) (local $s f64)
    (local.set $end (i32.add (local.get $x) (i32.shl (i32.mul (local.get $n) (local.get $d)) (i32.const 3))))
    (local.set $de (i32.shl (i32.and (local.get $d) (i32.const -2)) (i32.const 3)))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
        (local.set $off (i32.const 0))
        (block $colsDone
          (loop $cols
            (br_if $colsDone (i32.ge_u (local.get $off) (local.get $de)))
            (local.set $v (f64x2.sub (v128.load (i32.add (local.get $x) (local.get $off)))
              (v128.load (i32.add (local.get $mean) (local.get $off)))))
            (v128.store (i32.add (local.get $sq) (local.get $off)) (f64x2.add
              (v128.load (i32.add (local.get $sq) (local.get $off))) (f64x2.mul (local.get $v) (local.get $v))))
            (local.set $off (i32.add (local.get $off) (i32.const 16)))
            (br $cols)))
        (if (i32.and (local.get $d) (i32.const 1))
          (then
            (local.set $s (f64.sub (f64.load (i32.add (local.get $x) (local.get $de)))
              (f64.load (i32.add (local.get $mean) (local.get $de)))))
            (f64.store (i32.add (local.get $sq) (local.get $de)) (f64.add
              (f64.load (i32.add (local.get $sq) (local.get $de))) (f64.mul (local.get $s) (local.get $s))))))
        (local.set $x (i32.add (local.get $x) (i32.shl (local.get $d) (i32.const 3))))
        (br $rows))))

  ;; scale(x, n, d, inv): v ← v·inv per column; returns the number of non-zero results.
  (func (export "scale") (param $x i32) (param $n i32) (param $d i32) (param $inv i32) (result i32)
    (local $end i32) (local $de i32) (local $off i32) (local $v v128) (local $nz v128) (local $s f64)
    (local $odd i32)
    (local.set $end (i32.add (local.get $x) (i32.shl (i32.mul (local.get $n) (local.get $d)) (i32.const 3))))
    (local.set $de (i32.shl (i32.and (local.get $d) (i32.const -2)) (i32.const 3)))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
        (local.set $off (i32.const 0))
        (block $colsDone
          (loop $cols
            (br_if $colsDone (i32.ge_u (local.get $off) (local.get $de)))
            (local.set $v (f64x2.mul (v128.load (i32.add (local.get $x) (local.get $off)))
              (v128.load (i32.add (local.get $inv) (local.get $off)))))
            (v128.store (i32.add (local.get $x) (local.get $off)) (local.get $v))
            (local.set $nz (i64x2.sub (local.get $nz) (f64x2.ne (local.get $v) (v128.const f64x2 0 0))))
            (local.set $off (i32.add (local.get $off) (i32.const 16)))
            (br $cols)))
        (if (i32.and (local.get $d) (i32.const 1))
          (then
            (local.set $s (f64.mul (f64.load (i32.add (local.get $x) (local.get $de)))
              (f64.load (i32.add (local.get $inv) (local.get $de)))))
            (f64.store (i32.add (local.get $x) (local.get $de)) (local.get $s))
            (local.set $odd (i32.add (local.get $odd) (f64.ne (local.get $s) (f64.const 0))))))
        (local.set $x (i32.add (local.get $x) (i32.shl (local.get $d) (i32.const 3))))
        (br $rows)))
    (i32.add (local.get $odd) (i32.wrap_i64 (i64.add (i64x2.extract_lane 0 (local.get $nz))
      (i64x2.extract_lane 1 (local.get $nz))))))
)
