// RUN: %nx-opt --nx-fold --nx-dce %s | %filecheck %s
// nx-fold computes ops on constants with the NumPy rules and applies identities exact in floating point.

// CHECK-LABEL: func.func @constant_folding
// CHECK-NEXT: %[[C:.*]] = "nx.constant"() {value = dense<[3.000000e+00, 5.000000e+00]> : tensor<2xf32>}
// CHECK-NEXT: return %[[C]]
func.func @constant_folding() -> tensor<2xf32> {
  %a = "nx.constant"() {value = dense<[1.0, 2.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %b = "nx.constant"() {value = dense<[2.0, 3.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %c = "nx.add"(%a, %b) : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  return %c : tensor<2xf32>
}

// Chains fold through casts, broadcasts and integer ops (NumPy's wrap-around included).
// CHECK-LABEL: func.func @chain
// CHECK-NEXT: %[[C:.*]] = "nx.constant"() {value = dense<-128> : tensor<2x2xi8>}
// CHECK-NEXT: return %[[C]]
func.func @chain() -> tensor<2x2xi8> {
  %a = "nx.constant"() {value = dense<127> : tensor<i64>} : () -> tensor<i64>
  %b = "nx.as_type"(%a) {type = i8} : (tensor<i64>) -> tensor<i8>
  %c = "nx.broadcast"(%b) {axes = array<i64>, shape = array<i64: 2, 2>} : (tensor<i8>) -> tensor<2x2xi8>
  %one = "nx.constant"() {value = dense<1> : tensor<2x2xi8>} : () -> tensor<2x2xi8>
  %d = "nx.add"(%c, %one) : (tensor<2x2xi8>, tensor<2x2xi8>) -> tensor<2x2xi8>
  return %d : tensor<2x2xi8>
}

// Exact identities: x * 1, x / 1, x - 0.0, x + -0.0, double negation, a no-op transpose, reshape and cast,
// select on a constant predicate.
// CHECK-LABEL: func.func @identities
// CHECK-NEXT: return %arg0, %arg0, %arg0, %arg0, %arg0, %arg0, %arg0, %arg0, %arg1
func.func @identities(%x: tensor<2x2xf32>, %y: tensor<2x2xf32>) -> (tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>) {
  %one = "nx.constant"() {value = dense<1.0> : tensor<2x2xf32>} : () -> tensor<2x2xf32>
  %zero = "nx.constant"() {value = dense<0.0> : tensor<2x2xf32>} : () -> tensor<2x2xf32>
  %negzero = "nx.constant"() {value = dense<-0.0> : tensor<2x2xf32>} : () -> tensor<2x2xf32>
  %no = "nx.constant"() {value = dense<false> : tensor<2x2xi1>} : () -> tensor<2x2xi1>
  %a = "nx.multiply"(%one, %x) : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  %b = "nx.divide"(%x, %one) : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  %c = "nx.subtract"(%x, %zero) : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  %d = "nx.add"(%x, %negzero) : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  %n = "nx.negate"(%x) : (tensor<2x2xf32>) -> tensor<2x2xf32>
  %e = "nx.negate"(%n) : (tensor<2x2xf32>) -> tensor<2x2xf32>
  %f = "nx.transpose"(%x) {axes = array<i64: 0, 1>} : (tensor<2x2xf32>) -> tensor<2x2xf32>
  %g = "nx.reshape"(%x) {shape = array<i64: 2, 2>, names = ["a", ""]} : (tensor<2x2xf32>) -> tensor<2x2xf32>
  %h = "nx.as_type"(%x) {type = f32} : (tensor<2x2xf32>) -> tensor<2x2xf32>
  %s = "nx.select"(%no, %x, %y) : (tensor<2x2xi1>, tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  return %a, %b, %c, %d, %e, %f, %g, %h, %s : tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>
}

// Not identities in floating point: x * 0 (NaN, infinities, -0.0), x + 0.0 (-0.0 + 0.0 is 0.0), x - -0.0,
// a transpose that moves elements, logical_not twice on a non-bool.
// CHECK-LABEL: func.func @not_identities
// CHECK: "nx.multiply"
// CHECK: "nx.add"
// CHECK: "nx.subtract"
// CHECK: "nx.transpose"
// CHECK: "nx.logical_not"
// CHECK: "nx.logical_not"
func.func @not_identities(%x: tensor<2x2xf32>) -> (tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xi1>) {
  %zero = "nx.constant"() {value = dense<0.0> : tensor<2x2xf32>} : () -> tensor<2x2xf32>
  %negzero = "nx.constant"() {value = dense<-0.0> : tensor<2x2xf32>} : () -> tensor<2x2xf32>
  %a = "nx.multiply"(%x, %zero) : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  %b = "nx.add"(%x, %zero) : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  %c = "nx.subtract"(%x, %negzero) : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  %d = "nx.transpose"(%x) {axes = array<i64: 1, 0>} : (tensor<2x2xf32>) -> tensor<2x2xf32>
  %n = "nx.logical_not"(%x) : (tensor<2x2xf32>) -> tensor<2x2xi1>
  %e = "nx.logical_not"(%n) : (tensor<2x2xi1>) -> tensor<2x2xi1>
  return %a, %b, %c, %d, %e : tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xi1>
}

// Large results stay ops: folding them would swell the program.
// CHECK-LABEL: func.func @large_results_stay
// CHECK: "nx.broadcast"
func.func @large_results_stay() -> tensor<64x64xf32> {
  %a = "nx.constant"() {value = dense<1.5> : tensor<f32>} : () -> tensor<f32>
  %b = "nx.broadcast"(%a) {axes = array<i64>, shape = array<i64: 64, 64>} : (tensor<f32>) -> tensor<64x64xf32>
  return %b : tensor<64x64xf32>
}

// Complex results are not attributes: nx.complex of constants stays as it is.
// CHECK-LABEL: func.func @complex_stays
// CHECK: "nx.complex"
func.func @complex_stays() -> tensor<2xcomplex<f32>> {
  %re = "nx.constant"() {value = dense<[1.0, 2.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %im = "nx.constant"() {value = dense<[3.0, 4.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %c = "nx.complex"(%re, %im) : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xcomplex<f32>>
  return %c : tensor<2xcomplex<f32>>
}
