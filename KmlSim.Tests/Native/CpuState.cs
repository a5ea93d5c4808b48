using System.Runtime.Intrinsics;
using System.Text;

namespace KmlSim.Tests.Native;

/// <summary>
/// The state both executors load before and report after the instruction under test: the 16 GPRs in
/// encoding order (RSP is carried but never loaded natively nor compared), RFLAGS, XMM0-15 and the
/// contents of the shared data buffer.
/// </summary>
internal sealed class CpuState
{
    /// <summary>The encoding index of RSP, which the harness leaves to the host stack.</summary>
    public const int RspIndex = 4;

    public CpuState(int memoryLength)
    {
        Memory = new byte[memoryLength];
    }

    public ulong[] Gpr { get; } = new ulong[16];

    public ulong Rflags { get; set; }

    /// <summary>
    /// MXCSR (loaded before and read after the instruction). Every exception must stay masked: an unmasked
    /// one would deliver SIGFPE to the test process itself.
    /// </summary>
    public uint Mxcsr { get; set; } = KmlSim.Isa.MxcsrBits.Default;

    public Vector128<byte>[] Xmm { get; } = new Vector128<byte>[16];

    public byte[] Memory { get; }

    public CpuState Clone()
    {
        var copy = new CpuState(Memory.Length) { Rflags = Rflags, Mxcsr = Mxcsr };
        Gpr.CopyTo(copy.Gpr, 0);
        Xmm.CopyTo(copy.Xmm, 0);
        Memory.CopyTo(copy.Memory, 0);
        return copy;
    }

    /// <summary>Reads a little-endian value of 1-8 bytes from the buffer.</summary>
    public ulong ReadMemory(int offset, int size)
    {
        ulong value = 0;
        for (int i = 0; i < size; i++)
        {
            value |= (ulong)Memory[offset + i] << (8 * i);
        }

        return value;
    }

    /// <summary>Writes a little-endian value of 1-8 bytes into the buffer.</summary>
    public void WriteMemory(int offset, int size, ulong value)
    {
        for (int i = 0; i < size; i++)
        {
            Memory[offset + i] = (byte)(value >> (8 * i));
        }
    }

    /// <summary>Registers and flags, one per line (XMM registers only where they differ from <paramref name="other"/>).</summary>
    public string Describe(CpuState? other = null)
    {
        var text = new StringBuilder();
        for (int i = 0; i < Gpr.Length; i++)
        {
            if (i == RspIndex)
            {
                continue;
            }

            string mark = other is not null && other.Gpr[i] != Gpr[i] ? "  <--" : "";
            text.AppendLine($"  {RegisterNames[i],-4}= 0x{Gpr[i]:X16}{mark}");
        }

        text.AppendLine($"  rflags = 0x{Rflags:X} ({FlagLetters(Rflags)})");
        text.AppendLine($"  mxcsr = 0x{Mxcsr:X4}{(other is not null && other.Mxcsr != Mxcsr ? "  <--" : "")}");
        for (int i = 0; i < Xmm.Length; i++)
        {
            if (other is not null && other.Xmm[i] != Xmm[i])
            {
                text.AppendLine($"  xmm{i} = {Convert.ToHexString(ToBytes(Xmm[i]))}  <--");
            }
        }

        return text.ToString();
    }

    /// <summary>The status flags as letters, upper case when set (o d s z a p c).</summary>
    public static string FlagLetters(ulong flags) => string.Concat(
        (flags & (1UL << 11)) != 0 ? "O" : "o",
        (flags & (1UL << 7)) != 0 ? "S" : "s",
        (flags & (1UL << 6)) != 0 ? "Z" : "z",
        (flags & (1UL << 4)) != 0 ? "A" : "a",
        (flags & (1UL << 2)) != 0 ? "P" : "p",
        (flags & 1UL) != 0 ? "C" : "c");

    private static byte[] ToBytes(Vector128<byte> value)
    {
        var bytes = new byte[16];
        value.CopyTo(bytes);
        return bytes;
    }

    private static readonly string[] RegisterNames =
        ["rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15"];
}
