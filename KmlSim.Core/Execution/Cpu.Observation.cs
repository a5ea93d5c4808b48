using Iced.Intel;
using System.Runtime.CompilerServices;
using KmlSim.Decoding;
using KmlSim.Observation;

namespace KmlSim.Execution;

/// <summary>
/// The observed run: the same block execution as <see cref="ExecuteBlock"/>, plus a report of every
/// retired instruction to <see cref="Observer"/>. It is a separate method so that the unobserved loop keeps
/// its code unchanged (the choice is made once per block).
/// </summary>
public sealed unsafe partial class Cpu
{
    private IRetireObserver? observer;
    private RetiredInstruction report = new() { EventVector = -1 }; // an instruction unless ObserveDelivery says otherwise

    /// <summary>The timing model (or any observer) that receives every retired instruction; null = functional only.</summary>
    public IRetireObserver? Observer
    {
        get => observer;
        set
        {
            observer = value;
            breakBlock = true; // a running block finishes on the path it started with
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private int ExecuteBlockObserved(DecodedInstruction[] code, int count)
    {
        IRetireObserver sink = observer!;
        breakBlock = false;
        int i = 0;
        while (i < count)
        {
            ref DecodedInstruction d = ref code[i];
            ulong rcx = R[1];
            if (d.MemoryAccess != 0)
            {
                RecordAccesses(ref d);
            }
            else
            {
                report.AccessCount = 0;
            }

            Rip = d.NextIp;
            d.Execute(this, ref d);
            i++;
            report.Ip = d.Ip;
            report.NextIp = Rip;
            report.Code = d.Code;
            if (d.Code == Code.Syscall && SyscallCallTarget != 0 && Rip == SyscallCallTarget)
            {
                // KML's patched C library reaches the direct entry with a near call through the AT_SYSINFO
                // pointer, not with SYSCALL: time it as that call (a stack write and a return-stack push),
                // not as SYSCALL's serialising far transfer.
                report.Code = Code.Call_rm64;
                SetAccess(report.AccessCount++, R[4], 8, read: false, write: true);
            }

            report.Length = d.Length;
            report.Cpl = (byte)cpl;
            report.Taken = Rip != d.NextIp;
            byte flags = d.ObservedFlags;
            report.Locked = (flags & DecodedInstruction.ObservedLocked) != 0;
            report.ComplexAddress = (flags & DecodedInstruction.ObservedComplexAddress) != 0;
            report.RegistersRead = d.RegistersRead;
            report.RegistersWritten = d.RegistersWritten;
            report.RepeatCount = (flags & DecodedInstruction.ObservedRepeatedString) != 0 ? rcx - R[1] : 1;
            report.Cr3 = Mmu.Cr3;
            sink.Retire(in report);
            if (Rip != d.NextIp || breakBlock)
            {
                break;
            }
        }

        return i;
    }

    /// <summary>Computes the linear addresses the instruction will touch, from the registers before it runs.</summary>
    private void RecordAccesses(ref DecodedInstruction d)
    {
        int n = 0;
        byte access = d.MemoryAccess;
        if ((access & (DecodedInstruction.AccessExplicitRead | DecodedInstruction.AccessExplicitWrite)) != 0)
        {
            SetAccess(n++, EffectiveAddress(ref d), d.MemSize, (access & DecodedInstruction.AccessExplicitRead) != 0, (access & DecodedInstruction.AccessExplicitWrite) != 0);
        }

        if ((access & DecodedInstruction.AccessStringSource) != 0)
        {
            SetAccess(n++, R[6], d.MemSize, read: true, write: false);
        }

        if ((access & (DecodedInstruction.AccessStringDestinationRead | DecodedInstruction.AccessStringDestinationWrite)) != 0 && n < 2)
        {
            SetAccess(n++, R[7], d.MemSize, (access & DecodedInstruction.AccessStringDestinationRead) != 0, (access & DecodedInstruction.AccessStringDestinationWrite) != 0);
        }

        if ((access & DecodedInstruction.AccessStackWrite) != 0 && n < 2)
        {
            SetAccess(n++, R[4] - 8, 8, read: false, write: true);
        }
        else if ((access & DecodedInstruction.AccessStackRead) != 0 && n < 2)
        {
            SetAccess(n++, R[4], 8, read: true, write: false);
        }

        report.AccessCount = (byte)n;
    }

    private void SetAccess(int slot, ulong address, byte size, bool read, bool write)
    {
        ref MemoryAccess a = ref slot == 0 ? ref report.Access0 : ref report.Access1;
        a.Address = address;
        a.Size = size == 0 ? (byte)8 : size;
        a.IsRead = read;
        a.IsWrite = write;
    }

    /// <summary>Reports an exception or interrupt delivery (called by the delivery logic once the handler is entered).</summary>
    internal void ObserveDelivery(byte vector, ulong interruptedIp, int interruptedCpl)
    {
        if (observer is null)
        {
            return;
        }

        report.Ip = interruptedIp;
        report.NextIp = Rip;
        report.Code = Iced.Intel.Code.INVALID;
        report.Length = 0;
        report.Cpl = (byte)interruptedCpl;
        report.Taken = true;
        report.Locked = false;
        report.ComplexAddress = false;
        report.EventVector = vector;
        report.RegistersRead = 0;
        report.RegistersWritten = RegisterMask.StackPointer | RegisterMask.Flags;
        report.AccessCount = 0;
        report.RepeatCount = 1;
        report.Cr3 = Mmu.Cr3;
        observer.Retire(in report);
        report.EventVector = -1;
    }
}
