using System.Runtime.Intrinsics;
using Iced.Intel;
using static Iced.Intel.AssemblerRegisters;

namespace KmlSim.Tests.Native;

/// <summary>
/// Runs instruction bytes on the host CPU. A stub (assembled with Iced into an RWX page) saves the host's
/// callee-saved registers, loads every GPR but RSP, the status flags and XMM0-15 from a state block whose
/// pointer arrives in RDI (System V), executes the bytes under test, stores everything back and returns.
/// Because every GPR then holds a test value, the state block pointer is kept on the stack meanwhile.
/// MXCSR is exchanged the same way, and the host's own MXCSR is restored before returning to .NET.
/// </summary>
internal sealed unsafe class NativeExecutor : IDisposable
{
    private const int GprOffset = 0;
    private const int FlagsOffset = 128;
    private const int MxcsrOffset = 136;
    private const int XmmOffset = 144;
    private const int StateBlockSize = 4096;

    private static readonly AssemblerRegister64[] Gprs =
        [rax, rcx, rdx, rbx, rsp, rbp, rsi, rdi, r8, r9, r10, r11, r12, r13, r14, r15];

    private static readonly AssemblerRegisterXMM[] Xmms =
        [xmm0, xmm1, xmm2, xmm3, xmm4, xmm5, xmm6, xmm7, xmm8, xmm9, xmm10, xmm11, xmm12, xmm13, xmm14, xmm15];

    private readonly NativeRegion code = new(4096, LibC.ProtRead | LibC.ProtWrite | LibC.ProtExec);
    private readonly NativeRegion data;
    private byte[] stubFor = [];

    /// <summary>Creates the executor with a data buffer of <paramref name="bufferLength"/> bytes (a page multiple).</summary>
    public NativeExecutor(int bufferLength)
    {
        data = new NativeRegion(StateBlockSize + bufferLength, LibC.ProtRead | LibC.ProtWrite);
        BufferLength = bufferLength;
    }

    /// <summary>The linear address of the data buffer that memory operands point into.</summary>
    public ulong BufferAddress => data.Address + StateBlockSize;

    public int BufferLength { get; }

    /// <summary>Executes <paramref name="instruction"/> once from <paramref name="input"/>; returns the state after it.</summary>
    public CpuState Run(byte[] instruction, CpuState input)
    {
        if (!instruction.AsSpan().SequenceEqual(stubFor))
        {
            BuildStub(instruction);
        }

        Span<byte> block = data.Bytes;
        Span<ulong> words = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ulong>(block[..StateBlockSize]);
        input.Gpr.CopyTo(words[(GprOffset / 8)..]);
        words[FlagsOffset / 8] = input.Rflags;
        for (int i = 0; i < 16; i++)
        {
            input.Xmm[i].CopyTo(block[(XmmOffset + (16 * i))..]);
        }

        if ((input.Mxcsr & 0x1F80) != 0x1F80)
        {
            throw new ArgumentException("an unmasked SIMD exception would signal the test process", nameof(input));
        }

        System.Runtime.InteropServices.MemoryMarshal.Cast<byte, uint>(block)[MxcsrOffset / 4] = input.Mxcsr;
        input.Memory.CopyTo(block[StateBlockSize..]);

        ((delegate* unmanaged<nint, void>)code.Address)((nint)data.Address);

        var output = new CpuState(BufferLength)
        {
            Rflags = words[FlagsOffset / 8],
            Mxcsr = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, uint>(block)[MxcsrOffset / 4],
        };
        words.Slice(GprOffset / 8, 16).CopyTo(output.Gpr);
        output.Gpr[CpuState.RspIndex] = input.Gpr[CpuState.RspIndex];
        for (int i = 0; i < 16; i++)
        {
            output.Xmm[i] = Vector128.Create<byte>(block.Slice(XmmOffset + (16 * i), 16));
        }

        block.Slice(StateBlockSize, BufferLength).CopyTo(output.Memory);
        return output;
    }

    private void BuildStub(byte[] instruction)
    {
        // The prologue and epilogue are position-independent (no branches, no RIP-relative operands), so
        // they are assembled once and the instruction under test is spliced between them.
        Span<byte> page = code.Bytes;
        if (Prologue.Length + instruction.Length + Epilogue.Length > page.Length)
        {
            throw new InvalidOperationException("native stub does not fit its page");
        }

        Prologue.CopyTo(page);
        instruction.CopyTo(page[Prologue.Length..]);
        Epilogue.CopyTo(page[(Prologue.Length + instruction.Length)..]);
        stubFor = (byte[])instruction.Clone();
    }

    /// <summary>Saves host registers, keeps the state pointer on the stack, loads XMM, flags and GPRs.</summary>
    private static readonly byte[] Prologue = InstructionEncoding.Assemble(a =>
    {
        foreach (var saved in new[] { rbx, rbp, r12, r13, r14, r15 })
        {
            a.push(saved);
        }

        a.pushfq();
        a.sub(rsp, 8);
        a.stmxcsr(__dword_ptr[rsp]); // the host's MXCSR
        a.push(rdi); // the state block pointer, for after the instruction under test
        for (int i = 0; i < 16; i++)
        {
            a.movdqu(Xmms[i], __xmmword_ptr[rdi + (XmmOffset + (16 * i))]);
        }

        a.ldmxcsr(__dword_ptr[rdi + MxcsrOffset]);
        a.push(__qword_ptr[rdi + FlagsOffset]);
        a.popfq();
        for (int i = 0; i < 16; i++)
        {
            if (i != CpuState.RspIndex && i != 7)
            {
                a.mov(Gprs[i], __qword_ptr[rdi + (GprOffset + (8 * i))]);
            }
        }

        a.mov(rdi, __qword_ptr[rdi + (GprOffset + (8 * 7))]);
    });

    /// <summary>Stores GPRs, flags and XMM into the state block, restores the host registers and returns.</summary>
    private static readonly byte[] Epilogue = InstructionEncoding.Assemble(a =>
    {
        // Stack now: [rsp] = state pointer. Save RAX and the flags before anything can change them.
        a.push(rax);
        a.pushfq();
        a.mov(rax, __qword_ptr[rsp + 16]);
        a.stmxcsr(__dword_ptr[rax + MxcsrOffset]);
        for (int i = 1; i < 16; i++)
        {
            if (i != CpuState.RspIndex)
            {
                a.mov(__qword_ptr[rax + (GprOffset + (8 * i))], Gprs[i]);
            }
        }

        a.pop(rcx);
        a.mov(__qword_ptr[rax + FlagsOffset], rcx);
        a.pop(rcx);
        a.mov(__qword_ptr[rax + GprOffset], rcx);
        a.pop(rcx); // the state pointer slot
        for (int i = 0; i < 16; i++)
        {
            a.movdqu(__xmmword_ptr[rax + (XmmOffset + (16 * i))], Xmms[i]);
        }

        a.ldmxcsr(__dword_ptr[rsp]);
        a.add(rsp, 8);
        a.popfq(); // the host's flags, DF clear as the ABI requires
        foreach (var saved in new[] { r15, r14, r13, r12, rbp, rbx })
        {
            a.pop(saved);
        }

        a.ret();
    });

    public void Dispose()
    {
        code.Dispose();
        data.Dispose();
    }
}
