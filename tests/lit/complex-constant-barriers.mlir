// RUN: %nx-opt --iree-complex-constant-barriers %s | %filecheck %s
// iree-complex-constant-barriers passes each stablehlo.complex computed from constants alone through
// stablehlo.optimization_barrier (IREE 3.13 hoists such a value and loses its imaginary part); every use takes the
// barrier's result. Complex values that depend on an argument, on an op with regions or on a barrier are left alone.

// CHECK-LABEL: func.func @from_constants
// CHECK-NEXT: %[[RE:.*]] = stablehlo.constant dense<[1.000000e+00, 2.000000e+00, 3.000000e+00]>
// CHECK-NEXT: %[[IM:.*]] = stablehlo.constant dense<0.000000e+00>
// CHECK-NEXT: %[[C:.*]] = stablehlo.complex %[[RE]], %[[IM]]
// CHECK-NEXT: %[[B:.*]] = stablehlo.optimization_barrier %[[C]] : tensor<3xcomplex<f32>>
// CHECK-NEXT: %[[D:.*]] = stablehlo.complex %arg0, %[[IM]]
// CHECK-NEXT: %[[S:.*]] = stablehlo.add %[[B]], %[[D]]
// CHECK-NEXT: return %[[S]], %[[B]]
func.func @from_constants(%x: tensor<3xf32>) -> (tensor<3xcomplex<f32>>, tensor<3xcomplex<f32>>) {
  %re = stablehlo.constant dense<[1.0, 2.0, 3.0]> : tensor<3xf32>
  %im = stablehlo.constant dense<0.0> : tensor<3xf32>
  %c = stablehlo.complex %re, %im : tensor<3xcomplex<f32>>
  %d = stablehlo.complex %x, %im : tensor<3xcomplex<f32>>
  %s = stablehlo.add %c, %d : tensor<3xcomplex<f32>>
  return %s, %c : tensor<3xcomplex<f32>>, tensor<3xcomplex<f32>>
}

// Constant expressions are looked through: the parts are computed from constants by other ops.
// CHECK-LABEL: func.func @through_ops
// CHECK: %[[C:.*]] = stablehlo.complex
// CHECK-NEXT: %[[B:.*]] = stablehlo.optimization_barrier %[[C]]
// CHECK-NEXT: return %[[B]]
func.func @through_ops() -> tensor<2x2xcomplex<f64>> {
  %a = stablehlo.constant dense<[1.0, 2.0]> : tensor<2xf64>
  %row = stablehlo.broadcast_in_dim %a, dims = [1] : (tensor<2xf64>) -> tensor<2x2xf64>
  %sq = stablehlo.multiply %row, %row : tensor<2x2xf64>
  %im = stablehlo.negate %sq : tensor<2x2xf64>
  %c = stablehlo.complex %sq, %im : tensor<2x2xcomplex<f64>>
  return %c : tensor<2x2xcomplex<f64>>
}

// A value made by an op with regions is not looked through, and a barrier's result is not a constant, so a complex
// built from an earlier barriered one gets no second barrier.
// CHECK-LABEL: func.func @stops
// CHECK: stablehlo.reduce
// CHECK: %[[C1:.*]] = stablehlo.complex
// CHECK-NOT: optimization_barrier
// CHECK: %[[C2:.*]] = stablehlo.complex
// CHECK-NEXT: %[[B:.*]] = stablehlo.optimization_barrier %[[C2]]
// CHECK-NEXT: %[[R:.*]] = stablehlo.real %[[B]]
// CHECK-NEXT: %[[C3:.*]] = stablehlo.complex %[[R]]
// CHECK-NOT: optimization_barrier
// CHECK: return %[[C1]], %[[C3]]
func.func @stops() -> (tensor<complex<f32>>, tensor<complex<f32>>) {
  %a = stablehlo.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %zero = stablehlo.constant dense<0.0> : tensor<f32>
  %sum = stablehlo.reduce(%a init: %zero) applies stablehlo.add across dimensions = [0] : (tensor<2xf32>, tensor<f32>) -> tensor<f32>
  %c1 = stablehlo.complex %sum, %zero : tensor<complex<f32>>
  %c2 = stablehlo.complex %zero, %zero : tensor<complex<f32>>
  %r = stablehlo.real %c2 : (tensor<complex<f32>>) -> tensor<f32>
  %c3 = stablehlo.complex %r, %zero : tensor<complex<f32>>
  return %c1, %c3 : tensor<complex<f32>>, tensor<complex<f32>>
}

// Complex ops inside regions are found too: here a loop body's constant expression.
// CHECK-LABEL: func.func @in_region
// CHECK: stablehlo.while
// CHECK: do
// CHECK: %[[C:.*]] = stablehlo.complex
// CHECK-NEXT: %[[B:.*]] = stablehlo.optimization_barrier %[[C]]
// CHECK-NEXT: stablehlo.add %{{.*}}, %[[B]]
func.func @in_region(%x: tensor<complex<f32>>) -> tensor<complex<f32>> {
  %r = stablehlo.while(%v = %x) : tensor<complex<f32>>
  cond {
    %t = stablehlo.constant dense<false> : tensor<i1>
    stablehlo.return %t : tensor<i1>
  } do {
    %one = stablehlo.constant dense<1.0> : tensor<f32>
    %c = stablehlo.complex %one, %one : tensor<complex<f32>>
    %s = stablehlo.add %v, %c : tensor<complex<f32>>
    stablehlo.return %s : tensor<complex<f32>>
  }
  return %r : tensor<complex<f32>>
}

// A fused generic that makes complex values from constants alone (a complex constant's nx.complex, fused) gets the
// barrier on its complex results; one that reads an argument does not.
// CHECK-LABEL: func.func @generic_from_constants
// CHECK: %[[G:.*]] = linalg.generic
// CHECK: } -> tensor<2xcomplex<f32>>
// CHECK-NEXT: %[[B:.*]] = stablehlo.optimization_barrier %[[G]] : tensor<2xcomplex<f32>>
// CHECK: %[[H:.*]] = linalg.generic
// CHECK: } -> tensor<2xcomplex<f32>>
// CHECK-NOT: optimization_barrier
// CHECK: return %[[B]], %[[H]]
#id = affine_map<(d0) -> (d0)>
func.func @generic_from_constants(%x: tensor<2xf32>) -> (tensor<2xcomplex<f32>>, tensor<2xcomplex<f32>>) {
  %re = stablehlo.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %e = tensor.empty() : tensor<2xcomplex<f32>>
  %g = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]} ins(%re : tensor<2xf32>) outs(%e : tensor<2xcomplex<f32>>) {
  ^bb0(%r: f32, %o: complex<f32>):
    %z = complex.create %r, %r : complex<f32>
    linalg.yield %z : complex<f32>
  } -> tensor<2xcomplex<f32>>
  %h = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]} ins(%x : tensor<2xf32>) outs(%e : tensor<2xcomplex<f32>>) {
  ^bb0(%r: f32, %o: complex<f32>):
    %z = complex.create %r, %r : complex<f32>
    linalg.yield %z : complex<f32>
  } -> tensor<2xcomplex<f32>>
  return %g, %h : tensor<2xcomplex<f32>>, tensor<2xcomplex<f32>>
}
