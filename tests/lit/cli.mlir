// Passes run in the order of their flags, upstream pipelines among them; stdin, -o and debug locations work;
// bad flags and files are diagnostics with a non-zero exit.
// RUN: %nx-opt --nx-fold --pass-pipeline='builtin.module(canonicalize)' --nx-dce %s | %filecheck %s --check-prefix=ORDER
// RUN: cat %s | %nx-opt --nx-cse --mlir-print-debuginfo | %filecheck %s --check-prefix=STDIN
// RUN: %nx-opt --nx-fold %s -o %t && %filecheck %s --check-prefix=FILE < %t
// RUN: not %nx-opt --pass-pipeline='builtin.module(no-such-pass)' %s 2>&1 | %filecheck %s --check-prefix=PIPELINE
// RUN: not %nx-opt %s.missing 2>&1 | %filecheck %s --check-prefix=MISSING
// RUN: %nx-opt --help | %filecheck %s --check-prefix=HELP
// The console script that pyproject.toml declares:
// RUN: nx-opt --nx-fold %s | %filecheck %s --check-prefix=FILE

// ORDER-LABEL: func.func @f
// ORDER-NEXT: %[[C:.*]] = "nx.constant"() {value = dense<4.000000e+00> : tensor<2xf32>}
// ORDER-NEXT: return %[[C]]
// STDIN: "nx.add"{{.*}} loc(#[[L:.*]])
// STDIN: #[[L]] = loc("-":[[# @LINE + 11]]:8)
// FILE: dense<4.000000e+00>
// PIPELINE: nx-opt: error: invalid --pass-pipeline: {{.*}}'no-such-pass' does not refer to a registered pass
// MISSING: nx-opt: error: cannot read {{.*}}cli.mlir.missing: No such file or directory
// HELP-DAG: --nx-verify
// HELP-DAG: --nx-cse
// HELP-DAG: --nx-dce
// HELP-DAG: --nx-fold
// HELP-DAG: --pass-pipeline
func.func @f() -> tensor<2xf32> {
  %a = "nx.constant"() {value = dense<2.0> : tensor<2xf32>} : () -> tensor<2xf32>
  %b = "nx.add"(%a, %a) : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  return %b : tensor<2xf32>
}
