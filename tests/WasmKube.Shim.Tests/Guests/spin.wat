;; Spins forever without calling the host: only an interruption stops it.
(module
  (memory (export "memory") 1)
  (func (export "_start")
    (local $i i64)
    (loop $forever
      (local.set $i (i64.add (local.get $i) (i64.const 1)))
      (br $forever))))
