;; Allocates 1 MiB at a time and aborts (unreachable) when memory.grow fails, as a guest's allocator would.
(module
  (memory (export "memory") 1)
  (func (export "_start")
    (loop $more
      (br_if $more (i32.ne (memory.grow (i32.const 16)) (i32.const -1))))
    unreachable))
