/* Dispatch kernel: a small stack-machine bytecode interpreter (a switch in a loop, as in scripting-language VMs such
 * as PHP's or Lua's) running a program that sums a multiply-xor sequence with a counted loop. */
#include "bench.h"

enum { PUSH, LOAD, STORE, ADD, MUL, XOR, DEC, JNZ, HALT };

static const int32_t program[] = {
    /* 0 */ PUSH, 0, STORE, 1,            /* acc = 0 */
    /* 4 */ LOAD, 1, LOAD, 0, PUSH, 2654435761u, MUL, XOR, STORE, 1,   /* acc ^= i * golden */
    /* 14 */ LOAD, 1, PUSH, 7, ADD, STORE, 1,                         /* acc += 7 */
    /* 21 */ LOAD, 0, DEC, STORE, 0,                                   /* i-- */
    /* 26 */ LOAD, 0, JNZ, 4,                                          /* while (i) */
    /* 30 */ LOAD, 1, HALT,
};

__attribute__((noinline)) static uint32_t execute(uint32_t iterations)
{
    int32_t stack[16];
    int32_t vars[2] = { (int32_t)iterations, 0 };
    int sp = 0;
    for (const int32_t *pc = program;;) {
        switch (*pc++) {
        case PUSH: stack[sp++] = *pc++; break;
        case LOAD: stack[sp++] = vars[*pc++]; break;
        case STORE: vars[*pc++] = stack[--sp]; break;
        case ADD: sp--; stack[sp - 1] = (int32_t)((uint32_t)stack[sp - 1] + (uint32_t)stack[sp]); break;
        case MUL: sp--; stack[sp - 1] = (int32_t)((uint32_t)stack[sp - 1] * (uint32_t)stack[sp]); break;
        case XOR: sp--; stack[sp - 1] ^= stack[sp]; break;
        case DEC: stack[sp - 1]--; break;
        case JNZ: { int32_t target = *pc++; if (stack[--sp]) pc = program + target; break; }
        case HALT: return (uint32_t)stack[sp - 1];
        default: return 0;
        }
    }
}

uint32_t run(uint32_t n)
{
    return execute(n);
}
