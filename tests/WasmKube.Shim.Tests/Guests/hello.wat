;; Writes a fixed line to stdout and another to stderr, then returns (exit code 0).
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 64) "hello from wasm\n")
  (data (i32.const 96) "a line on stderr\n")
  (func (export "_start")
    ;; iovec at 0: {ptr 64, len 16}; iovec at 16: {ptr 96, len 17}
    (i32.store (i32.const 0) (i32.const 64))
    (i32.store (i32.const 4) (i32.const 16))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 32)))
    (i32.store (i32.const 16) (i32.const 96))
    (i32.store (i32.const 20) (i32.const 17))
    (drop (call $fd_write (i32.const 2) (i32.const 16) (i32.const 1) (i32.const 32)))))
