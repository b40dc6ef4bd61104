;; Kernels of the dense logistic fit (src/churn/_design.ts, class DenseDesign): linear predictors,
;; gradient and Hessian blocks in two f64 lanes, computed in exactly the order of the TypeScript path
;; (tsKernels there), so both give bit-identical fits. All pointers are byte offsets into the exported
;; memory, laid out by the caller; x is row-major n x p (f64). The memory is imported: the caller
;; creates it at its final size, because growing it would detach an ArrayBuffer, and V8 compiles every
;; typed-array access of the process with slower detach checks once any buffer has been detached.
(module
  (import "env" "memory" (memory 1))

  ;; Running sums of a sweep: the objective and the intercept's gradient.
  (global $f (mut f64) (f64.const 0))
  (global $g0 (mut f64) (f64.const 0))

  ;; The linear predictors of two rows (lane 0: the row at xa, accumulators a; lane 1: xb, c): per
  ;; row ((lane 0 [+ x[pe]·bOdd when p is odd]) + lane 1) + b0.
  (func $eta2 (param $a v128) (param $c v128) (param $xa i32) (param $xb i32) (param $pe i32)
      (param $odd i32) (param $bOdd f64) (param $b0 f64) (result v128)
    (local $lo v128)
    (local.set $lo (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $a) (local.get $c)))
    (if (local.get $odd)
      (then
        (local.set $lo (f64x2.add (local.get $lo) (f64x2.mul
          (f64x2.replace_lane 1 (f64x2.splat (f64.load (i32.add (local.get $xa) (local.get $pe))))
            (f64.load (i32.add (local.get $xb) (local.get $pe))))
          (f64x2.splat (local.get $bOdd)))))))
    (f64x2.add (f64x2.add (local.get $lo)
      (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $a) (local.get $c)))
      (f64x2.splat (local.get $b0))))

  ;; Two rows (one when $two is 0: lane 0) at linear predictors e: σ(e) into pp, w·(softplus(e) − y·e)
  ;; added to $f (weight 0: nothing) and the residual w·(σ − y) to $g0, row by row; returns the
  ;; residuals. Each lane does exactly the operations of the TypeScript path: exp(−|e|) and log1p by
  ;; fdlibm's methods (e_exp.c, s_log1p.c; expNeg and log1pUnit in _design.ts), their branches taken
  ;; as selects (a lane of exp outside the reduction range has k = 0, where the reduced formula is the
  ;; same arithmetic as fdlibm's k = 0 one; 2^k as exponent bits, below 2^-1021 as 2^(k+1000)·2^-1000).
  ;; $terms' constants in both lanes (immutable globals: TurboFan loads each with one instruction, where a
  ;; splat of an f64.const took three): fdlibm's exp (invln2, ln2/2, ln2 hi and lo, P1-P5, the 2^k
  ;; switch and underflow points, the small-argument bound) and log1p (√2 − 1, Lg1-Lg7, small bound).
  (global $ONE v128 (v128.const f64x2 1 1))
  (global $TWO v128 (v128.const f64x2 2 2))
  (global $HALF v128 (v128.const f64x2 0.5 0.5))
  (global $INVLN2 v128 (v128.const f64x2 1.4426950408889634 1.4426950408889634))
  (global $RED v128 (v128.const f64x2 -0.34657359027997264 -0.34657359027997264))
  (global $LN2HI v128 (v128.const f64x2 0.6931471803691238 0.6931471803691238))
  (global $LN2LO v128 (v128.const f64x2 1.9082149292705877e-10 1.9082149292705877e-10))
  (global $P1 v128 (v128.const f64x2 0.16666666666666602 0.16666666666666602))
  (global $P2 v128 (v128.const f64x2 -0.0027777777777015593 -0.0027777777777015593))
  (global $P3 v128 (v128.const f64x2 6.613756321437934e-5 6.613756321437934e-5))
  (global $P4 v128 (v128.const f64x2 -1.6533902205465252e-6 -1.6533902205465252e-6))
  (global $P5 v128 (v128.const f64x2 4.1381367970572385e-8 4.1381367970572385e-8))
  (global $KMIN v128 (v128.const f64x2 -1021 -1021))
  (global $TWOM1000 v128 (v128.const f64x2 0x1p-1000 0x1p-1000))
  (global $UNDER v128 (v128.const f64x2 -745.1332191019411 -745.1332191019411))
  (global $TINY v128 (v128.const f64x2 -3.725290298461914e-9 -3.725290298461914e-9))
  (global $SQRT2M1 v128 (v128.const f64x2 0.41421356237309503 0.41421356237309503))
  (global $LG1 v128 (v128.const f64x2 0.6666666666666735 0.6666666666666735))
  (global $LG2 v128 (v128.const f64x2 0.3999999999940942 0.3999999999940942))
  (global $LG3 v128 (v128.const f64x2 0.2857142874366239 0.2857142874366239))
  (global $LG4 v128 (v128.const f64x2 0.22222198432149784 0.22222198432149784))
  (global $LG5 v128 (v128.const f64x2 0.1818357216161805 0.1818357216161805))
  (global $LG6 v128 (v128.const f64x2 0.15313837699209373 0.15313837699209373))
  (global $LG7 v128 (v128.const f64x2 0.14798198605116586 0.14798198605116586))
  (global $LTINY v128 (v128.const f64x2 1.862645149230957e-9 1.862645149230957e-9))

  (func $terms (param $e v128) (param $yp i32) (param $wp i32) (param $pp i32) (param $two i32)
      (result v128)
    (local $x v128) (local $k v128) (local $hi v128) (local $lo v128) (local $t v128) (local $c v128)
    (local $z v128) (local $ok v128) (local $fv v128) (local $s v128) (local $hr v128) (local $big v128)
    (local $pr v128) (local $wv v128) (local $yv v128) (local $r v128)
    ;; z = exp(x), x = −|e|
    (local.set $x (f64x2.neg (f64x2.abs (local.get $e))))
    (local.set $k (v128.and
      (f64x2.trunc (f64x2.sub (f64x2.mul (local.get $x) (global.get $INVLN2))
        (global.get $HALF)))
      (f64x2.lt (local.get $x) (global.get $RED))))
    (local.set $hi (f64x2.sub (local.get $x)
      (f64x2.mul (local.get $k) (global.get $LN2HI))))
    (local.set $lo (f64x2.mul (local.get $k) (global.get $LN2LO)))
    (local.set $z (f64x2.sub (local.get $hi) (local.get $lo)))
    (local.set $t (f64x2.mul (local.get $z) (local.get $z)))
    (local.set $c (f64x2.sub (local.get $z) (f64x2.mul (local.get $t)
      (f64x2.add (global.get $P1) (f64x2.mul (local.get $t)
        (f64x2.add (global.get $P2) (f64x2.mul (local.get $t)
          (f64x2.add (global.get $P3) (f64x2.mul (local.get $t)
            (f64x2.add (global.get $P4)
              (f64x2.mul (local.get $t) (global.get $P5))))))))))))
    (local.set $ok (f64x2.ge (local.get $k) (global.get $KMIN)))
    (local.set $z (f64x2.mul (f64x2.mul
      (f64x2.sub (global.get $ONE)
        (f64x2.sub (f64x2.sub (local.get $lo)
          (f64x2.div (f64x2.mul (local.get $z) (local.get $c))
            (f64x2.sub (global.get $TWO) (local.get $c))))
          (local.get $hi)))
      (i64x2.shl (i64x2.add (i64x2.extend_low_i32x4_s (i32x4.trunc_sat_f64x2_s_zero (local.get $k)))
        (v128.bitselect (v128.const i64x2 1023 1023) (v128.const i64x2 2023 2023) (local.get $ok)))
        (i32.const 52)))
      (v128.bitselect (global.get $ONE) (global.get $TWOM1000) (local.get $ok))))
    (local.set $z (v128.bitselect (v128.const i64x2 0 0) (local.get $z)
      (f64x2.lt (local.get $x) (global.get $UNDER))))
    (local.set $z (v128.bitselect (f64x2.add (global.get $ONE) (local.get $x)) (local.get $z)
      (f64x2.gt (local.get $x) (global.get $TINY))))
    ;; σ
    (local.set $pr (f64x2.div
      (v128.bitselect (global.get $ONE) (local.get $z)
        (f64x2.ge (local.get $e) (v128.const i64x2 0 0)))
      (f64x2.add (global.get $ONE) (local.get $z))))
    ;; log1p(z)
    (local.set $big (f64x2.gt (local.get $z) (global.get $SQRT2M1)))
    (local.set $fv (v128.bitselect
      (f64x2.mul (f64x2.sub (local.get $z) (global.get $ONE)) (global.get $HALF))
      (local.get $z) (local.get $big)))
    (local.set $hi (f64x2.mul (f64x2.mul (global.get $HALF) (local.get $fv)) (local.get $fv)))
    (local.set $s (f64x2.div (local.get $fv) (f64x2.add (global.get $TWO) (local.get $fv))))
    (local.set $t (f64x2.mul (local.get $s) (local.get $s)))
    (local.set $hr (f64x2.mul (local.get $s) (f64x2.add (local.get $hi) (f64x2.mul (local.get $t)
      (f64x2.add (global.get $LG1) (f64x2.mul (local.get $t)
        (f64x2.add (global.get $LG2) (f64x2.mul (local.get $t)
          (f64x2.add (global.get $LG3) (f64x2.mul (local.get $t)
            (f64x2.add (global.get $LG4) (f64x2.mul (local.get $t)
              (f64x2.add (global.get $LG5) (f64x2.mul (local.get $t)
                (f64x2.add (global.get $LG6)
                  (f64x2.mul (local.get $t) (global.get $LG7)))))))))))))))))
    (local.set $lo (v128.bitselect
      (f64x2.sub (global.get $LN2HI)
        (f64x2.sub (f64x2.sub (local.get $hi)
          (f64x2.add (local.get $hr) (global.get $LN2LO)))
          (local.get $fv)))
      (f64x2.sub (local.get $fv) (f64x2.sub (local.get $hi) (local.get $hr)))
      (local.get $big)))
    (local.set $lo (v128.bitselect
      (f64x2.sub (local.get $z) (f64x2.mul (f64x2.mul (local.get $z) (local.get $z)) (global.get $HALF)))
      (local.get $lo)
      (f64x2.lt (local.get $z) (global.get $LTINY))))
    (local.set $wv (v128.load (local.get $wp)))
    (local.set $yv (v128.load (local.get $yp)))
    ;; c = w·(softplus(e) − y·e) into $lo, r = w·(σ − y)
    (local.set $lo (f64x2.mul (local.get $wv) (f64x2.sub
      (f64x2.add (v128.and (local.get $e) (f64x2.gt (local.get $e) (v128.const i64x2 0 0))) (local.get $lo))
      (f64x2.mul (local.get $yv) (local.get $e)))))
    (local.set $r (f64x2.mul (local.get $wv) (f64x2.sub (local.get $pr) (local.get $yv))))
    (f64.store (local.get $pp) (f64x2.extract_lane 0 (local.get $pr)))
    (if (f64.ne (f64x2.extract_lane 0 (local.get $wv)) (f64.const 0))
      (then (global.set $f (f64.add (global.get $f) (f64x2.extract_lane 0 (local.get $lo))))))
    (global.set $g0 (f64.add (global.get $g0) (f64x2.extract_lane 0 (local.get $r))))
    (if (local.get $two)
      (then
        (f64.store offset=8 (local.get $pp) (f64x2.extract_lane 1 (local.get $pr)))
        (if (f64.ne (f64x2.extract_lane 1 (local.get $wv)) (f64.const 0))
          (then (global.set $f (f64.add (global.get $f) (f64x2.extract_lane 1 (local.get $lo))))))
        (global.set $g0 (f64.add (global.get $g0) (f64x2.extract_lane 1 (local.get $r))))))
    (local.get $r))

  ;; pass(x, p, n, b, b0, y, w, prob, g): one sweep over rows [0, n) at coefficients b (p) and
  ;; intercept b0, four rows at a time. Each row's linear predictor sums even and odd columns in two
  ;; lanes (((lane 0 [+ last column of an odd p]) + lane 1) + b0, $eta2); σ into prob, the objective and
  ;; the residuals two rows at a time ($terms); g[0, p) = Σ rᵢ·xᵢ adding rows four at a time as
  ;; g + ((r0·x0 + r1·x1) + (r2·x2 + r3·x3)) (the last n mod 4 rows one at a time), g[p] = Σ rᵢ; returns
  ;; the objective Σ wᵢ·logloss (objective and Σ rᵢ added row by row).
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
        (local.set $r1 (call $terms (call $eta2 (local.get $a0) (local.get $a1) (local.get $x) (local.get $x1)
          (local.get $pe) (local.get $odd) (local.get $bOdd) (local.get $b0))
          (local.get $y) (local.get $w) (local.get $prob) (i32.const 1)))
        (local.set $r3 (call $terms (call $eta2 (local.get $a2) (local.get $a3) (local.get $x2) (local.get $x3)
          (local.get $pe) (local.get $odd) (local.get $bOdd) (local.get $b0))
          (i32.add (local.get $y) (i32.const 16)) (i32.add (local.get $w) (i32.const 16))
          (i32.add (local.get $prob) (i32.const 16)) (i32.const 1)))
        (local.set $r0 (f64x2.splat (f64x2.extract_lane 0 (local.get $r1))))
        (local.set $r1 (f64x2.splat (f64x2.extract_lane 1 (local.get $r1))))
        (local.set $r2 (f64x2.splat (f64x2.extract_lane 0 (local.get $r3))))
        (local.set $r3 (f64x2.splat (f64x2.extract_lane 1 (local.get $r3))))
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
        (local.set $r0 (f64x2.splat (f64x2.extract_lane 0 (call $terms (call $eta2 (local.get $a0)
          (local.get $a0) (local.get $x) (local.get $x) (local.get $pe) (local.get $odd) (local.get $bOdd)
          (local.get $b0)) (local.get $y) (local.get $w) (local.get $prob) (i32.const 0)))))
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
;; First one load per 64-byte line of the block's rows, summed into s and stored where the fill
        ;; then writes (so no load is dropped): strided rows lie far apart, and loads issued together,
        ;; ahead of the fill, wait for memory together (the fill alone had ~2 rows' misses in flight).
        (local.set $r (i32.const 0))
        (block $touchDone
          (loop $touch
            (br_if $touchDone (i32.ge_u (local.get $r) (local.get $rows)))
            (local.set $xr (i32.add (local.get $x) (i32.shl (i32.mul (i32.mul (i32.add (local.get $k0)
              (local.get $r)) (local.get $stride)) (local.get $p)) (i32.const 3))))
            (local.set $a (i32.const 0))
            (block $linesDone
              (loop $lines
                (br_if $linesDone (i32.ge_u (local.get $a) (i32.shl (local.get $p) (i32.const 3))))
                (local.set $s (f64.add (local.get $s) (f64.load (i32.add (local.get $xr) (local.get $a)))))
                (local.set $a (i32.add (local.get $a) (i32.const 64)))
                (br $lines)))
            (local.set $r (i32.add (local.get $r) (i32.const 1)))
            (br $touch)))
        (f64.store (local.get $zt) (local.get $s))
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
)
