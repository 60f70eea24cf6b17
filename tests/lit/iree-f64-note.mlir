// RUN: %nx-opt --nx-to-stablehlo %s | %filecheck %s
// RUN: %nx-opt %s | %filecheck %s --check-prefix=NX
// Lowered output that computes in f64 starts with the iree-compile flag it needs (IREE demotes f64 to f32 by
// default); nx output, which iree-compile does not take, and f32 output have no such line.

// CHECK: // iree-compile: this module computes in f64; pass --iree-input-demote-f64-to-f32=false
// CHECK: stablehlo.sine {{.*}} : tensor<4xf64>
// NX-NOT: iree-compile
func.func @main(%x: tensor<4xf64>) -> tensor<4xf64> {
  %0 = "nx.sin"(%x) : (tensor<4xf64>) -> tensor<4xf64>
  return %0 : tensor<4xf64>
}
