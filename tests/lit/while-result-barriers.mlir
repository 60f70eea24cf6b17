// RUN: %nx-opt --iree-while-result-barriers %s | %filecheck %s
// The results of a loop that starts from a value its block computes reach the ops that use them through one
// optimization barrier, just after the loop; a result only returned is not barred (IREE 3.13 otherwise may put the op that computes the initial value after
// the loop: "circular dependency"). A loop that starts from arguments and constants only, or whose results are only
// returned, is left alone; so is one that starts from a value computed outside its block.

// CHECK-LABEL: func.func @computed
// CHECK: %[[V:.*]] = stablehlo.abs %arg0
// CHECK-NEXT: %[[W:.*]]:3 = stablehlo.while(%{{.*}} = %[[V]], %{{.*}} = %arg0, %{{.*}} = %cst)
// CHECK: %[[B:.*]] = stablehlo.optimization_barrier %[[W]]#0 :
// CHECK-NEXT: %[[M:.*]] = stablehlo.multiply %[[B]], %[[V]]
// CHECK-NEXT: return %[[M]], %[[W]]#2, %[[V]]
func.func @computed(%x: tensor<f32>) -> (tensor<f32>, tensor<f32>, tensor<f32>) {
  %c = stablehlo.constant dense<1.0> : tensor<f32>
  %v = stablehlo.abs %x : tensor<f32>
  %w:3 = stablehlo.while(%a = %v, %b = %x, %e = %c) : tensor<f32>, tensor<f32>, tensor<f32>
  cond {
    %lt = stablehlo.compare LT, %a, %b : (tensor<f32>, tensor<f32>) -> tensor<i1>
    stablehlo.return %lt : tensor<i1>
  } do {
    %s = stablehlo.add %a, %e : tensor<f32>
    stablehlo.return %s, %b, %e : tensor<f32>, tensor<f32>, tensor<f32>
  }
  %m = stablehlo.multiply %w#0, %v : tensor<f32>
  return %m, %w#2, %v : tensor<f32>, tensor<f32>, tensor<f32>
}

// CHECK-LABEL: func.func @arguments_and_constants
// CHECK-NOT: optimization_barrier
// CHECK: return
func.func @arguments_and_constants(%x: tensor<f32>) -> tensor<f32> {
  %c = stablehlo.constant dense<0.0> : tensor<f32>
  %w:2 = stablehlo.while(%a = %x, %b = %c) : tensor<f32>, tensor<f32>
  cond {
    %lt = stablehlo.compare LT, %a, %b : (tensor<f32>, tensor<f32>) -> tensor<i1>
    stablehlo.return %lt : tensor<i1>
  } do {
    %s = stablehlo.add %a, %a : tensor<f32>
    stablehlo.return %s, %b : tensor<f32>, tensor<f32>
  }
  %m = stablehlo.multiply %w#0, %w#0 : tensor<f32>
  return %m : tensor<f32>
}

// CHECK-LABEL: func.func @only_returned
// CHECK-NOT: optimization_barrier
// CHECK: return
func.func @only_returned(%x: tensor<f32>) -> (tensor<f32>, tensor<f32>) {
  %v = stablehlo.abs %x : tensor<f32>
  %w = stablehlo.while(%a = %v) : tensor<f32>
  cond {
    %lt = stablehlo.compare LT, %a, %x : (tensor<f32>, tensor<f32>) -> tensor<i1>
    stablehlo.return %lt : tensor<i1>
  } do {
    %s = stablehlo.add %a, %a : tensor<f32>
    stablehlo.return %s : tensor<f32>
  }
  %m = stablehlo.multiply %v, %v : tensor<f32>
  return %w, %m : tensor<f32>, tensor<f32>
}

// A loop in a loop's body, starting from a value computed there: its results are barred there, where the body uses
// them. The outer loop starts from an argument; a third loop there starts from a value computed outside the body.
// CHECK-LABEL: func.func @nested
// CHECK: %[[Y:.*]] = stablehlo.exponential %arg0
// CHECK-NEXT: stablehlo.while(%[[A:.*]] = %arg0)
// CHECK: do {
// CHECK-NEXT: %[[N:.*]] = stablehlo.negate %[[A]]
// CHECK-NEXT: %[[I:.*]]:2 = stablehlo.while(%{{.*}} = %[[N]], %{{.*}} = %[[A]])
// CHECK: %[[B:.*]]:2 = stablehlo.optimization_barrier %[[I]]#0, %[[I]]#1
// CHECK-NEXT: %[[S:.*]] = stablehlo.add %[[B]]#0, %[[B]]#1
// CHECK-NEXT: %[[O:.*]] = stablehlo.while(%{{.*}} = %[[Y]])
// CHECK-NOT: optimization_barrier
// CHECK: stablehlo.add %[[O]], %[[S]]
func.func @nested(%x: tensor<f32>) -> tensor<f32> {
  %y = stablehlo.exponential %x : tensor<f32>
  %w = stablehlo.while(%a = %x) : tensor<f32>
  cond {
    %lt = stablehlo.compare LT, %a, %a : (tensor<f32>, tensor<f32>) -> tensor<i1>
    stablehlo.return %lt : tensor<i1>
  } do {
    %n = stablehlo.negate %a : tensor<f32>
    %inner:2 = stablehlo.while(%p = %n, %q = %a) : tensor<f32>, tensor<f32>
    cond {
      %lt = stablehlo.compare LT, %p, %q : (tensor<f32>, tensor<f32>) -> tensor<i1>
      stablehlo.return %lt : tensor<i1>
    } do {
      stablehlo.return %q, %p : tensor<f32>, tensor<f32>
    }
    %s = stablehlo.add %inner#0, %inner#1 : tensor<f32>
    %outside = stablehlo.while(%r = %y) : tensor<f32>
    cond {
      %lt = stablehlo.compare LT, %r, %s : (tensor<f32>, tensor<f32>) -> tensor<i1>
      stablehlo.return %lt : tensor<i1>
    } do {
      stablehlo.return %r : tensor<f32>
    }
    %t = stablehlo.add %outside, %s : tensor<f32>
    stablehlo.return %t : tensor<f32>
  }
  return %w : tensor<f32>
}
