;; Kernels of the dense logistic fit (src/churn/_design.ts, class DenseDesign): linear predictors,
;; gradient and Hessian blocks in two f64 lanes, computed in exactly the order of the TypeScript path
;; (tsKernels there), so both give bit-identical fits. All pointers are byte offsets into the exported
;; memory, laid out by the caller; x is row-major n x p (f64). The memory is imported: the caller
;; creates it at its final size, because growing it would detach an ArrayBuffer, and V8 compiles every
;; typed-array access of the process with slower detach checks once any buffer has been detached.
(module
  (import "env" "memory" (memory 1))

  ;; ((lane 0 [+ x[pe]·bOdd when p is odd]) + lane 1) + b0: one row's linear predictor.
  (func $finish (param $acc v128) (param $row i32) (param $pe i32) (param $odd i32) (param $bOdd f64)
      (param $b0 f64) (result f64)
    (local $s0 f64)
    (local.set $s0 (f64x2.extract_lane 0 (local.get $acc)))
    (if (local.get $odd)
      (then
        (local.set $s0 (f64.add (local.get $s0)
          (f64.mul (f64.load (i32.add (local.get $row) (local.get $pe))) (local.get $bOdd))))))
    (f64.add (f64.add (local.get $s0) (f64x2.extract_lane 1 (local.get $acc))) (local.get $b0)))

  ;; Running sums of a sweep: the objective and the intercept's gradient.
  (global $f (mut f64) (f64.const 0))
  (global $g0 (mut f64) (f64.const 0))

  ;; exp(x) for x <= 0 by fdlibm's method (e_exp.c): x = k·ln2 + r, a rational approximation of
  ;; exp(r), times 2^k. The TypeScript path (expNeg in _design.ts) does the same operations.
  (func $exp (param $x f64) (result f64)
    (local $k f64) (local $hi f64) (local $lo f64) (local $t f64) (local $c f64) (local $y f64)
    (local $ki i32)
    (if (f64.lt (local.get $x) (f64.const -0.34657359027997264))
      (then
        (if (f64.lt (local.get $x) (f64.const -745.1332191019411)) (then (return (f64.const 0))))
        (local.set $k (f64.trunc (f64.sub (f64.mul (local.get $x) (f64.const 1.4426950408889634))
          (f64.const 0.5))))
        (local.set $hi (f64.sub (local.get $x) (f64.mul (local.get $k) (f64.const 0.6931471803691238))))
        (local.set $lo (f64.mul (local.get $k) (f64.const 1.9082149292705877e-10)))
        (local.set $x (f64.sub (local.get $hi) (local.get $lo))))
      (else
        (if (f64.gt (local.get $x) (f64.const -3.725290298461914e-9))
          (then (return (f64.add (f64.const 1) (local.get $x)))))))
    (local.set $t (f64.mul (local.get $x) (local.get $x)))
    (local.set $c (f64.sub (local.get $x) (f64.mul (local.get $t)
      (f64.add (f64.const 0.16666666666666602) (f64.mul (local.get $t)
        (f64.add (f64.const -0.0027777777777015593) (f64.mul (local.get $t)
          (f64.add (f64.const 6.613756321437934e-5) (f64.mul (local.get $t)
            (f64.add (f64.const -1.6533902205465252e-6)
              (f64.mul (local.get $t) (f64.const 4.1381367970572385e-8))))))))))))
    (if (f64.eq (local.get $k) (f64.const 0))
      (then
        (return (f64.sub (f64.const 1)
          (f64.sub (f64.div (f64.mul (local.get $x) (local.get $c)) (f64.sub (local.get $c) (f64.const 2)))
            (local.get $x))))))
    (local.set $y (f64.sub (f64.const 1)
      (f64.sub (f64.sub (local.get $lo)
        (f64.div (f64.mul (local.get $x) (local.get $c)) (f64.sub (f64.const 2) (local.get $c))))
        (local.get $hi))))
    (local.set $ki (i32.trunc_f64_s (local.get $k)))
    (if (result f64) (i32.ge_s (local.get $ki) (i32.const -1021))
      (then (f64.mul (local.get $y)
        (f64.reinterpret_i64 (i64.shl (i64.extend_i32_s (i32.add (local.get $ki) (i32.const 1023)))
          (i64.const 52)))))
      (else (f64.mul (f64.mul (local.get $y)
        (f64.reinterpret_i64 (i64.shl (i64.extend_i32_s (i32.add (local.get $ki) (i32.const 2023)))
          (i64.const 52))))
        (f64.const 0x1p-1000)))))

  ;; log1p(z) for 0 <= z <= 1 by fdlibm's method (s_log1p.c); above √2 − 1 through
  ;; log1p(z) = ln2 + log1p((z − 1)/2). The TypeScript path (log1pUnit) does the same operations.
  (func $log1p (param $z f64) (result f64)
    (local $f f64) (local $k i32) (local $hfsq f64) (local $s f64) (local $w f64) (local $r f64)
    (local.set $f (local.get $z))
    (if (f64.gt (local.get $z) (f64.const 0.41421356237309503))
      (then
        (local.set $f (f64.mul (f64.sub (local.get $z) (f64.const 1)) (f64.const 0.5)))
        (local.set $k (i32.const 1)))
      (else
        (if (f64.lt (local.get $z) (f64.const 1.862645149230957e-9))
          (then (return (f64.sub (local.get $z)
            (f64.mul (f64.mul (local.get $z) (local.get $z)) (f64.const 0.5))))))))
    (local.set $hfsq (f64.mul (f64.mul (f64.const 0.5) (local.get $f)) (local.get $f)))
    (local.set $s (f64.div (local.get $f) (f64.add (f64.const 2) (local.get $f))))
    (local.set $w (f64.mul (local.get $s) (local.get $s)))
    (local.set $r (f64.mul (local.get $w)
      (f64.add (f64.const 0.6666666666666735) (f64.mul (local.get $w)
        (f64.add (f64.const 0.3999999999940942) (f64.mul (local.get $w)
          (f64.add (f64.const 0.2857142874366239) (f64.mul (local.get $w)
            (f64.add (f64.const 0.22222198432149784) (f64.mul (local.get $w)
              (f64.add (f64.const 0.1818357216161805) (f64.mul (local.get $w)
                (f64.add (f64.const 0.15313837699209373)
                  (f64.mul (local.get $w) (f64.const 0.14798198605116586)))))))))))))))
    (if (result f64) (local.get $k)
      (then (f64.sub (f64.const 0.6931471803691238)
        (f64.sub (f64.sub (local.get $hfsq)
          (f64.add (f64.mul (local.get $s) (f64.add (local.get $hfsq) (local.get $r)))
            (f64.const 1.9082149292705877e-10)))
          (local.get $f))))
      (else (f64.sub (local.get $f)
        (f64.sub (local.get $hfsq) (f64.mul (local.get $s) (f64.add (local.get $hfsq) (local.get $r))))))))

  ;; One row at linear predictor e: writes σ(e) at pp, adds w·(softplus(e) − y·e) to $f (weight 0:
  ;; nothing) and the residual w·(σ − y) to $g0; returns the residual.
  (func $term (param $e f64) (param $yp i32) (param $wp i32) (param $pp i32) (result f64)
    (local $z f64) (local $pr f64) (local $wi f64) (local $yi f64) (local $r f64)
    (local.set $z (call $exp (f64.neg (f64.abs (local.get $e)))))
    (local.set $pr (f64.div
      (select (f64.const 1) (local.get $z) (f64.ge (local.get $e) (f64.const 0)))
      (f64.add (f64.const 1) (local.get $z))))
    (f64.store (local.get $pp) (local.get $pr))
    (local.set $wi (f64.load (local.get $wp)))
    (local.set $yi (f64.load (local.get $yp)))
    (if (f64.ne (local.get $wi) (f64.const 0))
      (then
        (global.set $f (f64.add (global.get $f) (f64.mul (local.get $wi)
          (f64.sub
            (f64.add (select (local.get $e) (f64.const 0) (f64.gt (local.get $e) (f64.const 0)))
              (call $log1p (local.get $z)))
            (f64.mul (local.get $yi) (local.get $e))))))))
    (local.set $r (f64.mul (local.get $wi) (f64.sub (local.get $pr) (local.get $yi))))
    (global.set $g0 (f64.add (global.get $g0) (local.get $r)))
    (local.get $r))

  ;; pass(x, p, n, b, b0, y, w, prob, g): one sweep over rows [0, n) at coefficients b (p) and
  ;; intercept b0. Each row's linear predictor sums even and odd columns in two lanes
  ;; (((lane 0 [+ last column of an odd p]) + lane 1) + b0); σ into prob; g[0, p) = Σ rᵢ·xᵢ adding
  ;; rows four at a time as g + ((r0·x0 + r1·x1) + (r2·x2 + r3·x3)) (the last rows one at a time),
  ;; g[p] = Σ rᵢ; returns the objective Σ wᵢ·logloss (objective and Σ rᵢ added row by row).
  (func (export "pass") (param $x i32) (param $p i32) (param $n i32) (param $b i32) (param $b0 f64)
      (param $y i32) (param $w i32) (param $prob i32) (param $g i32) (result f64)
    (local $rs i32) (local $pe i32) (local $odd i32) (local $end i32) (local $off i32) (local $gp i32)
    (local $x1 i32) (local $x2 i32) (local $x3 i32) (local $bOdd f64)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $vb v128)
    (local $r0 v128) (local $r1 v128) (local $r2 v128) (local $r3 v128)
    (global.set $f (f64.const 0))
    (global.set $g0 (f64.const 0))
    (local.set $rs (i32.shl (local.get $p) (i32.const 3)))
    (memory.fill (local.get $g) (i32.const 0) (local.get $rs))
    (local.set $pe (i32.shl (i32.and (local.get $p) (i32.const -2)) (i32.const 3)))
    (local.set $odd (i32.and (local.get $p) (i32.const 1)))
    (if (local.get $odd)
      (then (local.set $bOdd (f64.load (i32.add (local.get $b) (local.get $pe))))))
    (local.set $end (i32.add (local.get $y)
      (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 3))))
    (block $done4
      (loop $rows4
        (br_if $done4 (i32.ge_u (local.get $y) (local.get $end)))
        (local.set $x1 (i32.add (local.get $x) (local.get $rs)))
        (local.set $x2 (i32.add (local.get $x1) (local.get $rs)))
        (local.set $x3 (i32.add (local.get $x2) (local.get $rs)))
        (local.set $a0 (v128.const i64x2 0 0))
        (local.set $a1 (v128.const i64x2 0 0))
        (local.set $a2 (v128.const i64x2 0 0))
        (local.set $a3 (v128.const i64x2 0 0))
        (local.set $off (i32.const 0))
        (block $colsDone
          (loop $cols
            (br_if $colsDone (i32.ge_u (local.get $off) (local.get $pe)))
            (local.set $vb (v128.load (i32.add (local.get $b) (local.get $off))))
            (local.set $a0 (f64x2.add (local.get $a0)
              (f64x2.mul (v128.load (i32.add (local.get $x) (local.get $off))) (local.get $vb))))
            (local.set $a1 (f64x2.add (local.get $a1)
              (f64x2.mul (v128.load (i32.add (local.get $x1) (local.get $off))) (local.get $vb))))
            (local.set $a2 (f64x2.add (local.get $a2)
              (f64x2.mul (v128.load (i32.add (local.get $x2) (local.get $off))) (local.get $vb))))
            (local.set $a3 (f64x2.add (local.get $a3)
              (f64x2.mul (v128.load (i32.add (local.get $x3) (local.get $off))) (local.get $vb))))
            (local.set $off (i32.add (local.get $off) (i32.const 16)))
            (br $cols)))
        (local.set $r0 (f64x2.splat (call $term (call $finish (local.get $a0) (local.get $x)
          (local.get $pe) (local.get $odd) (local.get $bOdd) (local.get $b0))
          (local.get $y) (local.get $w) (local.get $prob))))
        (local.set $r1 (f64x2.splat (call $term (call $finish (local.get $a1) (local.get $x1)
          (local.get $pe) (local.get $odd) (local.get $bOdd) (local.get $b0))
          (i32.add (local.get $y) (i32.const 8)) (i32.add (local.get $w) (i32.const 8))
          (i32.add (local.get $prob) (i32.const 8)))))
        (local.set $r2 (f64x2.splat (call $term (call $finish (local.get $a2) (local.get $x2)
          (local.get $pe) (local.get $odd) (local.get $bOdd) (local.get $b0))
          (i32.add (local.get $y) (i32.const 16)) (i32.add (local.get $w) (i32.const 16))
          (i32.add (local.get $prob) (i32.const 16)))))
        (local.set $r3 (f64x2.splat (call $term (call $finish (local.get $a3) (local.get $x3)
          (local.get $pe) (local.get $odd) (local.get $bOdd) (local.get $b0))
          (i32.add (local.get $y) (i32.const 24)) (i32.add (local.get $w) (i32.const 24))
          (i32.add (local.get $prob) (i32.const 24)))))
        (local.set $off (i32.const 0))
        (block $gDone
          (loop $gCols
            (br_if $gDone (i32.ge_u (local.get $off) (local.get $pe)))
            (local.set $gp (i32.add (local.get $g) (local.get $off)))
            (v128.store (local.get $gp) (f64x2.add (v128.load (local.get $gp))
              (f64x2.add
                (f64x2.add
                  (f64x2.mul (local.get $r0) (v128.load (i32.add (local.get $x) (local.get $off))))
                  (f64x2.mul (local.get $r1) (v128.load (i32.add (local.get $x1) (local.get $off)))))
                (f64x2.add
                  (f64x2.mul (local.get $r2) (v128.load (i32.add (local.get $x2) (local.get $off))))
                  (f64x2.mul (local.get $r3) (v128.load (i32.add (local.get $x3) (local.get $off))))))))
            (local.set $off (i32.add (local.get $off) (i32.const 16)))
            (br $gCols)))
        (if (local.get $odd)
          (then
            (local.set $gp (i32.add (local.get $g) (local.get $pe)))
            (f64.store (local.get $gp) (f64.add (f64.load (local.get $gp))
              (f64.add
                (f64.add
                  (f64.mul (f64x2.extract_lane 0 (local.get $r0))
                    (f64.load (i32.add (local.get $x) (local.get $pe))))
                  (f64.mul (f64x2.extract_lane 0 (local.get $r1))
                    (f64.load (i32.add (local.get $x1) (local.get $pe)))))
                (f64.add
                  (f64.mul (f64x2.extract_lane 0 (local.get $r2))
                    (f64.load (i32.add (local.get $x2) (local.get $pe))))
                  (f64.mul (f64x2.extract_lane 0 (local.get $r3))
                    (f64.load (i32.add (local.get $x3) (local.get $pe))))))))))
        (local.set $x (i32.add (local.get $x3) (local.get $rs)))
        (local.set $y (i32.add (local.get $y) (i32.const 32)))
        (local.set $w (i32.add (local.get $w) (i32.const 32)))
        (local.set $prob (i32.add (local.get $prob) (i32.const 32)))
        (br $rows4)))
    ;; The last rows one at a time (same sums).
    (local.set $end (i32.add (local.get $end)
      (i32.shl (i32.and (local.get $n) (i32.const 3)) (i32.const 3))))
    (block $done1
      (loop $rows1
        (br_if $done1 (i32.ge_u (local.get $y) (local.get $end)))
        (local.set $a0 (v128.const i64x2 0 0))
        (local.set $off (i32.const 0))
        (block $colsDone1
          (loop $cols1
            (br_if $colsDone1 (i32.ge_u (local.get $off) (local.get $pe)))
            (local.set $a0 (f64x2.add (local.get $a0)
              (f64x2.mul (v128.load (i32.add (local.get $x) (local.get $off)))
                (v128.load (i32.add (local.get $b) (local.get $off))))))
            (local.set $off (i32.add (local.get $off) (i32.const 16)))
            (br $cols1)))
        (local.set $r0 (f64x2.splat (call $term (call $finish (local.get $a0) (local.get $x)
          (local.get $pe) (local.get $odd) (local.get $bOdd) (local.get $b0))
          (local.get $y) (local.get $w) (local.get $prob))))
        (local.set $off (i32.const 0))
        (block $gDone1
          (loop $gCols1
            (br_if $gDone1 (i32.ge_u (local.get $off) (local.get $pe)))
            (local.set $gp (i32.add (local.get $g) (local.get $off)))
            (v128.store (local.get $gp) (f64x2.add (v128.load (local.get $gp))
              (f64x2.mul (local.get $r0) (v128.load (i32.add (local.get $x) (local.get $off))))))
            (local.set $off (i32.add (local.get $off) (i32.const 16)))
            (br $gCols1)))
        (if (local.get $odd)
          (then
            (local.set $gp (i32.add (local.get $g) (local.get $pe)))
            (f64.store (local.get $gp) (f64.add (f64.load (local.get $gp))
              (f64.mul (f64x2.extract_lane 0 (local.get $r0))
                (f64.load (i32.add (local.get $x) (local.get $pe))))))))
        (local.set $x (i32.add (local.get $x) (local.get $rs)))
        (local.set $y (i32.add (local.get $y) (i32.const 8)))
        (local.set $w (i32.add (local.get $w) (i32.const 8)))
        (local.set $prob (i32.add (local.get $prob) (i32.const 8)))
        (br $rows1)))
    (f64.store (i32.add (local.get $g) (local.get $rs)) (global.get $g0))
    (global.get $f))

  ;; out[o] += lane 0 + lane 1 of acc.
  (func $addLanes (param $o i32) (param $acc v128)
    (f64.store (local.get $o) (f64.add (f64.load (local.get $o))
      (f64.add (f64x2.extract_lane 0 (local.get $acc)) (f64x2.extract_lane 1 (local.get $acc))))))

  ;; Σ over row pairs [0, pe) of za·zc (two lanes: even rows, odd rows), columns at za and zc.
  (func $pairSum (param $za i32) (param $zc i32) (param $pe i32) (result v128)
    (local $rb i32) (local $acc v128)
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $rb) (local.get $pe)))
        (local.set $acc (f64x2.add (local.get $acc)
          (f64x2.mul (v128.load (i32.add (local.get $za) (local.get $rb)))
            (v128.load (i32.add (local.get $zc) (local.get $rb))))))
        (local.set $rb (i32.add (local.get $rb) (i32.const 16)))
        (br $rows)))
    (local.get $acc))

  ;; hess(x, p, stride, count, prob, w, m, zt, out): out (m x m, upper triangle; zeroed first) =
  ;; Σ zᵢzᵢᵀ over rows i = k·stride, k in [0, count), zᵢ = sᵢ·[xᵢ, 1 when m > p],
  ;; sᵢ = sqrt(((wᵢ·πᵢ)·(1 − πᵢ))·stride). Blocks of 64 rows: zt holds the block column by column
  ;; (64 f64 per column, an odd row count padded with a zero row); each cell of the block adds
  ;; (Σ even rows) + (Σ odd rows), in 2 x 4 tiles.
  (func (export "hess") (param $x i32) (param $p i32) (param $stride i32) (param $count i32)
      (param $prob i32) (param $w i32) (param $m i32) (param $zt i32) (param $out i32)
    (local $k0 i32) (local $rows i32) (local $r i32) (local $i i32) (local $xr i32) (local $a i32)
    (local $c i32) (local $pe i32) (local $rb i32) (local $za i32) (local $zb i32) (local $q i32)
    (local $o i32) (local $mb i32) (local $pi f64) (local $s f64)
    (local $z0 v128) (local $z1 v128) (local $q0 v128) (local $q1 v128) (local $q2 v128) (local $q3 v128)
    (local $s00 v128) (local $s01 v128) (local $s02 v128) (local $s03 v128)
    (local $s10 v128) (local $s11 v128) (local $s12 v128) (local $s13 v128)
    (local.set $mb (i32.shl (local.get $m) (i32.const 3)))
    (memory.fill (local.get $out) (i32.const 0) (i32.mul (local.get $mb) (local.get $m)))
    (block $blocksDone
      (loop $blocks
        (br_if $blocksDone (i32.ge_u (local.get $k0) (local.get $count)))
        (local.set $rows (i32.sub (local.get $count) (local.get $k0)))
        (if (i32.gt_u (local.get $rows) (i32.const 64)) (then (local.set $rows (i32.const 64))))
        ;; zt[a][r] = s·x[i][a]; zt[p][r] = s when m > p.
        (local.set $r (i32.const 0))
        (block $fillDone
          (loop $fill
            (br_if $fillDone (i32.ge_u (local.get $r) (local.get $rows)))
            (local.set $i (i32.mul (i32.add (local.get $k0) (local.get $r)) (local.get $stride)))
            (local.set $pi (f64.load (i32.add (local.get $prob) (i32.shl (local.get $i) (i32.const 3)))))
            (local.set $s (f64.sqrt (f64.mul (f64.mul
              (f64.mul (f64.load (i32.add (local.get $w) (i32.shl (local.get $i) (i32.const 3))))
                (local.get $pi))
              (f64.sub (f64.const 1) (local.get $pi))) (f64.convert_i32_u (local.get $stride)))))
            (local.set $xr (i32.add (local.get $x) (i32.shl (i32.mul (local.get $i) (local.get $p)) (i32.const 3))))
            (local.set $q (i32.add (local.get $zt) (i32.shl (local.get $r) (i32.const 3))))
            (local.set $a (i32.const 0))
            (block $colsDone
              (loop $cols
                (br_if $colsDone (i32.ge_u (local.get $a) (local.get $p)))
                (f64.store (local.get $q)
                  (f64.mul (local.get $s) (f64.load (i32.add (local.get $xr) (i32.shl (local.get $a) (i32.const 3))))))
                (local.set $q (i32.add (local.get $q) (i32.const 512)))
                (local.set $a (i32.add (local.get $a) (i32.const 1)))
                (br $cols)))
            (if (i32.gt_u (local.get $m) (local.get $p)) (then (f64.store (local.get $q) (local.get $s))))
            (local.set $r (i32.add (local.get $r) (i32.const 1)))
            (br $fill)))
        (if (i32.and (local.get $rows) (i32.const 1))
          (then
            (local.set $a (i32.const 0))
            (block $padDone
              (loop $pad
                (br_if $padDone (i32.ge_u (local.get $a) (local.get $m)))
                (f64.store (i32.add (local.get $zt)
                  (i32.shl (i32.add (i32.shl (local.get $a) (i32.const 6)) (local.get $rows)) (i32.const 3)))
                  (f64.const 0))
                (local.set $a (i32.add (local.get $a) (i32.const 1)))
                (br $pad)))))
        (local.set $pe (i32.shl (i32.and (i32.add (local.get $rows) (i32.const 1)) (i32.const -2)) (i32.const 3)))
        ;; Rows a, a+1 of out against columns c..c+3 (c from a: the cell below the diagonal is spare).
        (local.set $a (i32.const 0))
        (block $aDone
          (loop $aLoop
            (br_if $aDone (i32.gt_u (i32.add (local.get $a) (i32.const 2)) (local.get $m)))
            (local.set $za (i32.add (local.get $zt) (i32.shl (local.get $a) (i32.const 9))))
            (local.set $zb (i32.add (local.get $za) (i32.const 512)))
            (local.set $c (local.get $a))
            (block $cDone
              (loop $cLoop
                (br_if $cDone (i32.gt_u (i32.add (local.get $c) (i32.const 4)) (local.get $m)))
                (local.set $q (i32.add (local.get $zt) (i32.shl (local.get $c) (i32.const 9))))
                (local.set $s00 (v128.const i64x2 0 0)) (local.set $s01 (v128.const i64x2 0 0))
                (local.set $s02 (v128.const i64x2 0 0)) (local.set $s03 (v128.const i64x2 0 0))
                (local.set $s10 (v128.const i64x2 0 0)) (local.set $s11 (v128.const i64x2 0 0))
                (local.set $s12 (v128.const i64x2 0 0)) (local.set $s13 (v128.const i64x2 0 0))
                (local.set $rb (i32.const 0))
                (block $rDone
                  (loop $rLoop
                    (br_if $rDone (i32.ge_u (local.get $rb) (local.get $pe)))
                    (local.set $z0 (v128.load (i32.add (local.get $za) (local.get $rb))))
                    (local.set $z1 (v128.load (i32.add (local.get $zb) (local.get $rb))))
                    (local.set $q0 (v128.load (i32.add (local.get $q) (local.get $rb))))
                    (local.set $q1 (v128.load offset=512 (i32.add (local.get $q) (local.get $rb))))
                    (local.set $q2 (v128.load offset=1024 (i32.add (local.get $q) (local.get $rb))))
                    (local.set $q3 (v128.load offset=1536 (i32.add (local.get $q) (local.get $rb))))
                    (local.set $s00 (f64x2.add (local.get $s00) (f64x2.mul (local.get $z0) (local.get $q0))))
                    (local.set $s01 (f64x2.add (local.get $s01) (f64x2.mul (local.get $z0) (local.get $q1))))
                    (local.set $s02 (f64x2.add (local.get $s02) (f64x2.mul (local.get $z0) (local.get $q2))))
                    (local.set $s03 (f64x2.add (local.get $s03) (f64x2.mul (local.get $z0) (local.get $q3))))
                    (local.set $s10 (f64x2.add (local.get $s10) (f64x2.mul (local.get $z1) (local.get $q0))))
                    (local.set $s11 (f64x2.add (local.get $s11) (f64x2.mul (local.get $z1) (local.get $q1))))
                    (local.set $s12 (f64x2.add (local.get $s12) (f64x2.mul (local.get $z1) (local.get $q2))))
                    (local.set $s13 (f64x2.add (local.get $s13) (f64x2.mul (local.get $z1) (local.get $q3))))
                    (local.set $rb (i32.add (local.get $rb) (i32.const 16)))
                    (br $rLoop)))
                (local.set $o (i32.add (local.get $out)
                  (i32.shl (i32.add (i32.mul (local.get $a) (local.get $m)) (local.get $c)) (i32.const 3))))
                (call $addLanes (local.get $o) (local.get $s00))
                (call $addLanes (i32.add (local.get $o) (i32.const 8)) (local.get $s01))
                (call $addLanes (i32.add (local.get $o) (i32.const 16)) (local.get $s02))
                (call $addLanes (i32.add (local.get $o) (i32.const 24)) (local.get $s03))
                (local.set $o (i32.add (local.get $o) (local.get $mb)))
                (call $addLanes (local.get $o) (local.get $s10))
                (call $addLanes (i32.add (local.get $o) (i32.const 8)) (local.get $s11))
                (call $addLanes (i32.add (local.get $o) (i32.const 16)) (local.get $s12))
                (call $addLanes (i32.add (local.get $o) (i32.const 24)) (local.get $s13))
                (local.set $c (i32.add (local.get $c) (i32.const 4)))
                (br $cLoop)))
            ;; Remaining columns of rows a, a+1.
            (block $cDone2
              (loop $cLoop2
                (br_if $cDone2 (i32.ge_u (local.get $c) (local.get $m)))
                (local.set $q (i32.add (local.get $zt) (i32.shl (local.get $c) (i32.const 9))))
                (local.set $o (i32.add (local.get $out)
                  (i32.shl (i32.add (i32.mul (local.get $a) (local.get $m)) (local.get $c)) (i32.const 3))))
                (call $addLanes (local.get $o) (call $pairSum (local.get $za) (local.get $q) (local.get $pe)))
                (call $addLanes (i32.add (local.get $o) (local.get $mb))
                  (call $pairSum (local.get $zb) (local.get $q) (local.get $pe)))
                (local.set $c (i32.add (local.get $c) (i32.const 1)))
                (br $cLoop2)))
            (local.set $a (i32.add (local.get $a) (i32.const 2)))
            (br $aLoop)))
        ;; Last row of out when m is odd.
        (if (i32.lt_u (local.get $a) (local.get $m))
          (then
            (local.set $za (i32.add (local.get $zt) (i32.shl (local.get $a) (i32.const 9))))
            (local.set $c (local.get $a))
            (block $lastDone
              (loop $last
                (br_if $lastDone (i32.ge_u (local.get $c) (local.get $m)))
                (call $addLanes
                  (i32.add (local.get $out)
                    (i32.shl (i32.add (i32.mul (local.get $a) (local.get $m)) (local.get $c)) (i32.const 3)))
                  (call $pairSum (local.get $za) (i32.add (local.get $zt) (i32.shl (local.get $c) (i32.const 9)))
                    (local.get $pe)))
                (local.set $c (i32.add (local.get $c) (i32.const 1)))
                (br $last)))))
        (local.set $k0 (i32.add (local.get $k0) (i32.const 64)))
        (br $blocks))))

  ;; Column sweeps of an n x d row-major matrix x (the feature encoder's standardisation). Each column
  ;; is summed in row order, exactly as the TypeScript loops do; an odd d ends with a scalar column.

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
