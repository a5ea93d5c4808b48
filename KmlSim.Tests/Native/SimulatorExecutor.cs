using KmlSim.Execution;
using KmlSim.Interrupts;
using KmlSim.Isa;
using KmlSim.Memory;

namespace KmlSim.Tests.Native;

/// <summary>
/// Runs instruction bytes in a <see cref="SnippetMachine"/>, with the data buffer mapped at the same
/// linear address as the native one, so that addresses held in registers mean the same on both sides.
/// </summary>
internal sealed class SimulatorExecutor
{
    /// <summary>Where the instruction under test is placed (far from the buffer, which mmap puts high).</summary>
    public const ulong CodeAddress = 0x40_0000;

    private readonly SnippetMachine machine = new();
    private readonly ulong bufferAddress;

    public SimulatorExecutor(ulong bufferAddress, int bufferLength)
    {
        this.bufferAddress = bufferAddress;
        machine.Map(bufferAddress, (ulong)bufferLength, PageFlags.User | PageFlags.Writable);
    }

    /// <summary>Executes exactly <paramref name="instructions"/> instructions; returns the state after it, why it stopped, and the fault if any.</summary>
    public (CpuState State, StopReason Stop, GuestFaultException? Fault, ulong Rip) Run(byte[] instruction, CpuState input, int instructions = 1)
    {
        Cpu cpu = machine.Cpu;
        machine.LoadCode(CodeAddress, instruction);
        for (int i = 0; i < 16; i++)
        {
            cpu.SetRegister((Gpr)i, input.Gpr[i]);
            cpu.SetXmm(i, input.Xmm[i]);
        }

        cpu.Rflags = input.Rflags | RFlags.Reserved1;
        cpu.Mxcsr = input.Mxcsr;
        cpu.Mmu.WriteBytes(bufferAddress, input.Memory);

        StopReason stop = machine.Run(instructions);

        var output = new CpuState(input.Memory.Length) { Rflags = cpu.Rflags, Mxcsr = cpu.Mxcsr };
        for (int i = 0; i < 16; i++)
        {
            output.Gpr[i] = cpu.GetRegister((Gpr)i);
            output.Xmm[i] = cpu.GetXmm(i);
        }

        cpu.Mmu.ReadBytes(bufferAddress, output.Memory);
        return (output, stop, stop == StopReason.Fault ? cpu.LastFault : null, cpu.Rip);
    }
}
