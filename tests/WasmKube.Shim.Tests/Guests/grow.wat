;; Grows its memory one page at a time until memory.grow fails, then exits with the size reached in 4 MiB units
;; (64 pages), capped at 255.
(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (block $full
      (loop $more
        (br_if $full (i32.eq (memory.grow (i32.const 1)) (i32.const -1)))
        (br_if $full (i32.ge_u (memory.size) (i32.const 16320)))
        (br $more)))
    (call $proc_exit (i32.div_u (memory.size) (i32.const 64)))))
