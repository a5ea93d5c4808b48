using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Iced.Intel;
using KmlSim.Observation;
using KmlSim.Timing.Branch;
using KmlSim.Timing.Costs;
using KmlSim.Timing.Profiles;

namespace KmlSim.Timing.Pipeline;

/// <summary>
/// The out-of-order approximation, fed one retired instruction at a time in program order. Each
/// instruction is dispatched by the 3-wide front end (VectorPath decodes alone; a taken branch ends the
/// fetch group and costs the redirect bubble), waits for a free reorder-buffer and scheduler slot, issues
/// when its source registers (and loaded data) are ready and a unit is free, completes after its latency,
/// and retires in order, 3 macro-ops per cycle. A mispredicted branch restarts the front end 10 cycles
/// after it resolves; a serialising instruction waits for the window to drain, and the front end refills
/// after it. The result is the retire cycle, from which the accounts charge retire(i) - retire(i-1).
/// </summary>
public sealed class OutOfOrderCore
{
    private const int RegisterSlots = 64; // one per RegisterMask bit (bits 34-63 are unused and never set), so a bit indexes without a check
    private readonly CpuProfile profile;
    private readonly CostTable costs;
    private readonly long[] registerReady = new long[RegisterSlots];
    private readonly long[] reorderBuffer;
    private readonly long[] integerScheduler;
    private readonly long[] fpScheduler;
    private readonly UnitCalendar alus;
    private readonly UnitCalendar multiplier = new(1);
    private readonly UnitCalendar fpAdd = new(1);
    private readonly UnitCalendar fpMultiply = new(1);
    private readonly UnitCalendar fpStore = new(1);
    private readonly UnitCalendar l1Ports;
    private int robNext, intNext, fpNext;
    private long fetchCycle;
    private int fetchSlots;
    private ulong fetchLine = ulong.MaxValue;
    private long dividerFree;
    private long lockFree;
    private int retiredInCycle;
    private ulong cr3;
    private long accessLatency; // results of Access (fields rather than out parameters keep Retire's locals in registers)
    private int accessModified;

    /// <summary>Creates the core of a profile.</summary>
    public OutOfOrderCore(CpuProfile profile, CostTable costs)
    {
        this.profile = profile;
        this.costs = costs;
        reorderBuffer = new long[profile.ReorderBufferSize];
        integerScheduler = new long[profile.IntegerSchedulerSize];
        fpScheduler = new long[profile.FpSchedulerSize];
        alus = new UnitCalendar(profile.IntegerPipes);
        l1Ports = new UnitCalendar(profile.L1Ports);
        Memory = new MemoryTiming(profile);
        Predictor = new BranchPredictor(profile);
    }

    /// <summary>Caches, TLBs and forwarding.</summary>
    public MemoryTiming Memory { get; }

    /// <summary>The branch predictor.</summary>
    public BranchPredictor Predictor { get; }

    /// <summary>Event counts.</summary>
    public TimingCounters Counters { get; } = new();

    /// <summary>Retire cycle of the last instruction.</summary>
    public long LastRetire { get; private set; }

    /// <summary>Advances time by <paramref name="cycles"/> with nothing in flight (kernel work done on the host); returns the new retire cycle.</summary>
    public long Stall(long cycles)
    {
        LastRetire = Math.Max(LastRetire, fetchCycle) + cycles;
        fetchCycle = LastRetire;
        fetchSlots = 0;
        retiredInCycle = 0;
        return LastRetire;
    }

    /// <summary>Runs one instruction (or event) through the model and returns its retire cycle.</summary>
    public long Retire(in RetiredInstruction r)
    {
        ref readonly InstructionCost cost = ref r.IsEvent ? ref costs.InterruptDelivery : ref r.Locked ? ref costs.Locked : ref costs[r.Code];
        int macroOps = cost.MacroOps;
        Counters.Instructions++;
        Counters.MacroOps += macroOps;
        if (r.Cr3 != cr3)
        {
            cr3 = r.Cr3;
            Memory.FlushTlbs();
        }

        long dispatch = FrontEnd(in r, in cost);

        // Window: the macro-op ROB slots this instruction takes were freed when the instruction 72 macro-ops back retired.
        dispatch = Math.Max(dispatch, reorderBuffer[Wrap(robNext + macroOps - 1, reorderBuffer.Length)]);
        bool fp = cost.Unit is ExecutionUnit.FpAdd or ExecutionUnit.FpMultiply or ExecutionUnit.FpStore;
        long[] scheduler = fp ? fpScheduler : integerScheduler;
        int schedulerSlot = fp ? fpNext : intNext;
        dispatch = Math.Max(dispatch, scheduler[schedulerSlot]);
        if (cost.Serialising)
        {
            dispatch = Math.Max(dispatch, LastRetire); // the window drains first
            Counters.Serialisations++;
        }

        if (dispatch > fetchCycle)
        {
            fetchCycle = dispatch; // the front end stalled behind the full window
            fetchSlots = macroOps;
        }

        long ready = Math.Max(dispatch, SourcesReady(r.RegistersRead));
        long latency = cost.Latency + (r.ComplexAddress ? cost.ComplexAddressLatency : 0);
        long dataReady = ready;
        if (r.AccessCount != 0)
        {
            dataReady = Access(in r, in cost, ready);
            latency += accessLatency;
        }

        long issue = cost.Unit is ExecutionUnit.Alu or ExecutionUnit.Branch ? alus.Reserve(dataReady, 1) : IssueToUnit(in cost, dataReady);
        long complete = issue + latency;
        if (r.AccessCount != 0 && accessModified >= 0)
        {
            // A read-modify-write stores its result: the store data exists only once the load and the op are done.
            Memory.Store(accessModified == 0 ? r.Access0.Address : r.Access1.Address, complete, forwardable: cost.Unit != ExecutionUnit.Locked);
        }

        scheduler[schedulerSlot] = issue;
        if (fp)
        {
            fpNext = Wrap(fpNext + 1, fpScheduler.Length);
        }
        else
        {
            intNext = Wrap(intNext + 1, integerScheduler.Length);
        }

        WriteResults(in r, complete, ready);
        if (cost.RaxEarly != 0)
        {
            registerReady[0] = complete - cost.RaxEarly;
        }

        if (cost.Branch != BranchKind.None)
        {
            ResolveBranch(in r, in cost, complete);
        }

        if (cost.Serialising)
        {
            Refill(complete, profile.FrontEndStages);
        }

        long retire = RetireInOrder(complete, macroOps);
        for (int k = 0; k < macroOps; k++)
        {
            reorderBuffer[robNext] = retire;
            robNext = Wrap(robNext + 1, reorderBuffer.Length);
        }

        return retire;
    }

    /// <summary>Ring index arithmetic without a division (indices never exceed twice the ring size).</summary>
    private static int Wrap(int index, int length) => index >= length ? index - length : index;

    private long FrontEnd(in RetiredInstruction r, in InstructionCost cost)
    {
        if (!r.IsEvent)
        {
            ulong line = r.Ip >> 6;
            if (line != fetchLine)
            {
                fetchLine = line;
                long miss = Memory.Fetch(r.Ip);
                if (miss > 0)
                {
                    fetchCycle += miss;
                    fetchSlots = 0;
                }
            }
        }

        int macroOps = cost.MacroOps;
        if (cost.Path == DecodePath.Vector)
        {
            // Microcode decodes alone: it starts a fresh cycle and takes all of it.
            if (fetchSlots > 0)
            {
                fetchCycle++;
            }

            fetchSlots = profile.DispatchWidth;
            return fetchCycle;
        }

        if (fetchSlots + macroOps > profile.DispatchWidth)
        {
            fetchCycle++;
            fetchSlots = 0;
        }

        fetchSlots += macroOps;
        return fetchCycle;
    }

    private long SourcesReady(ulong mask)
    {
        long ready = 0;
        ref long first = ref MemoryMarshal.GetArrayDataReference(registerReady);
        while (mask != 0)
        {
            ready = Math.Max(ready, Unsafe.Add(ref first, BitOperations.TrailingZeroCount(mask)));
            mask &= mask - 1;
        }

        return ready;
    }

    /// <summary>Issues to a unit other than an ALU: the first cycle at or after <paramref name="ready"/> it is free.</summary>
    private long IssueToUnit(in InstructionCost cost, long ready)
    {
        long start = ready;
        switch (cost.Unit)
        {
            case ExecutionUnit.Multiply:
                start = multiplier.Reserve(alus.Reserve(start, 1), cost.Occupancy);
                break;
            case ExecutionUnit.Divide:
                start = alus.Reserve(Math.Max(start, dividerFree), 1);
                dividerFree = start + cost.Occupancy;
                break;
            case ExecutionUnit.Locked:
                start = Math.Max(start, lockFree);
                lockFree = start + cost.Occupancy;
                break;
            case ExecutionUnit.FpAdd:
                start = fpAdd.Reserve(start, cost.Occupancy);
                break;
            case ExecutionUnit.FpMultiply:
                start = fpMultiply.Reserve(start, cost.Occupancy);
                break;
            case ExecutionUnit.FpStore:
                start = fpStore.Reserve(start, cost.Occupancy);
                break;
        }

        return start;
    }

    /// <summary>
    /// The memory side of an instruction with accesses: L1 ports, loads (the data-ready time is returned),
    /// plain stores, REP string blocks and INVLPG. Leaves in <see cref="accessLatency"/> what the accesses add
    /// to the latency (a plain load takes just the load latency, a string operation its per-element cost and
    /// its misses) and in <see cref="accessModified"/> the access that is a read-modify-write, whose store
    /// waits for the result, or -1.
    /// </summary>
    private long Access(in RetiredInstruction r, in InstructionCost cost, long ready)
    {
        long dataReady = ready;
        bool loads = false;
        long repeat = (long)Math.Min(r.RepeatCount, 1UL << 40);
        long latency = 0;
        int modified = -1;
        for (int i = 0; i < r.AccessCount; i++)
        {
            ref readonly MemoryAccess a = ref i == 0 ? ref r.Access0 : ref r.Access1;
            if (r.Code == Code.Invlpg_m)
            {
                Memory.FlushTlbs(a.Address);
                continue;
            }

            long port = l1Ports.Reserve(ready, 1);
            if (repeat > 1)
            {
                latency += Memory.Block(a.Address, repeat * a.Size);
            }
            else if (a.IsRead)
            {
                loads = true;
                dataReady = Math.Max(dataReady, Memory.Load(a.Address, a.Size, port));
            }

            if (a.IsWrite && a.IsRead && repeat <= 1)
            {
                modified = i;
            }
            else if (a.IsWrite && repeat <= 1)
            {
                Memory.Store(a.Address, ready, forwardable: true);
            }
        }

        latency += cost.PerElement * Math.Max(repeat - 1, 0);

        // A plain load (no flags written, a 1-cycle ALU form: MOV, MOVZX, POP) takes just the load latency.
        if (loads && cost.Unit == ExecutionUnit.Alu && cost.Latency <= 1 && (r.RegistersWritten & RegisterMask.Flags) == 0)
        {
            latency -= cost.Latency;
        }

        accessLatency = latency;
        accessModified = modified;
        return dataReady;
    }

    private void WriteResults(in RetiredInstruction r, long complete, long addressReady)
    {
        ulong mask = r.RegistersWritten;
        ref long first = ref MemoryMarshal.GetArrayDataReference(registerReady);
        while (mask != 0)
        {
            Unsafe.Add(ref first, BitOperations.TrailingZeroCount(mask)) = complete;
            mask &= mask - 1;
        }

        // The stack pointer of PUSH/POP/CALL/RET is updated by the AGU-side adder once its sources are ready, not
        // after the memory access (a RET's new RSP does not wait for the return address it loads).
        if ((r.RegistersWritten & RegisterMask.StackPointer) != 0 && r.AccessCount > 0)
        {
            registerReady[4] = Math.Min(complete, addressReady + 1);
        }
    }

    private void ResolveBranch(in RetiredInstruction r, in InstructionCost cost, long complete)
    {
        Counters.Branches++;
        ulong fallThrough = r.Ip + r.Length;
        bool predicted;
        switch (cost.Branch)
        {
            case BranchKind.Far:
                return; // never predicted: the serialising restart charges it
            case BranchKind.Conditional:
                predicted = Predictor.Conditional(r.Ip, r.Taken) && (!r.Taken || Predictor.Target(r.Ip, r.NextIp));
                break;
            case BranchKind.Call or BranchKind.IndirectCall:
                Predictor.Call(fallThrough);
                predicted = Predictor.Target(r.Ip, r.NextIp);
                break;
            case BranchKind.Return:
                predicted = Predictor.Return(r.NextIp);
                if (!predicted)
                {
                    Counters.ReturnMispredicts++;
                }

                break;
            default:
                predicted = Predictor.Target(r.Ip, r.NextIp);
                break;
        }

        if (r.Taken && !Predictor.Selected(r.Ip))
        {
            predicted = false; // a 4th taken branch in its 16-byte window
        }

        if (!predicted)
        {
            if (cost.Branch != BranchKind.Return)
            {
                Counters.BranchMispredicts++;
            }

            Refill(complete, profile.MispredictPenalty);
        }
        else if (r.Taken)
        {
            fetchCycle += 1 + profile.TakenBranchBubble;
            fetchSlots = 0;
        }
    }

    /// <summary>Restarts the front end <paramref name="delay"/> cycles after <paramref name="complete"/> (a serialising instruction, a mispredict), counting the refill.</summary>
    private void Refill(long complete, int delay)
    {
        long restart = complete + delay;
        if (restart > fetchCycle)
        {
            Counters.RefillCycles += restart - Math.Max(fetchCycle, complete);
            fetchCycle = restart;
        }

        fetchSlots = 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private long RetireInOrder(long complete, int macroOps)
    {
        long retire = Math.Max(complete, LastRetire);
        if (retire == LastRetire && retiredInCycle + macroOps > profile.RetireWidth)
        {
            retire++;
        }

        retiredInCycle = retire == LastRetire ? retiredInCycle + macroOps : macroOps;
        LastRetire = retire;
        return retire;
    }
}
