// Codesign Explorer processing element.
//
// A run-time configurable multiply-accumulate PE of LANES lanes:
//   mode 0  dense, spatial reduction: an adder tree sums the lanes' products, one result per
//           reduction (the beat marked in_last ends it)
//   mode 1  dense, temporal reduction: every lane accumulates its own result over the beats;
//           the beat marked in_last emits one result per kept lane
//   mode 2  sparse: a value/index stream of the non-zero weights; each lane reads its
//           activation from the activation buffer at its index (zero skipping), spatial reduction
//   mode 3  bit-serial: the weights enter cfg_serial_bits bits per cycle, lowest slice first
//           (the top slice of a signed weight counts negative), spatial reduction
// Operands are cfg_wbits / cfg_abits wide (1..DW), signed or unsigned; the accumulator wraps at
// cfg_accbits; the output quantiser applies ReLU, an arithmetic right shift (optionally rounding
// half up) and saturation to cfg_outbits signed bits.
//
// Reset (rst_n low) is synchronous: hold it over a rising edge. The configuration ports are
// sampled on every edge while reset is held: set them before the reset edge.
//
// Pipeline: operand registers (S1, the multiplier inputs), product registers (S2), then the
// accumulator and the output register. A beat accepted at edge t reaches the output register at
// edge t + 2; a bit-serial beat holds S1 for ceil(wbits / serial_bits) edges. A full output
// register that is not taken (out_ready low) stalls the whole pipeline.
//
// Statistics: stat_toggles counts bit flips of the multiplier-input registers (the configured
// operand bits of the kept lanes; a lane that is not kept holds its value, as a gated register
// would), stat_products the lane products performed (a bit-serial slice counts as one).
//
// Written for simulation speed as well as for synthesis (Verilator evaluates every block of a
// clock domain on every edge, whatever changed):
//   - every lane is a generate block of its own registers: Verilator turns each non-blocking
//     write to an unpacked array into a set flag, a value and an index per edge, which cost
//     more than the arithmetic;
//   - the datapath reads registers and the operand ports only, never a combinational function
//     of the inputs (which Verilator evaluates on both clock edges);
//   - what the configuration implies (masks, sign bits, serial steps) is computed once, under
//     reset, and the serial offset is a register rather than a product;
//   - sign extension is an exclusive-or and a subtraction; the products are as wide as the
//     accumulator (wrapping a product to AW bits before an AW-bit accumulation changes no
//     result); the bit count is the classic SWAR sequence, which compilers turn into one
//     population-count instruction (rtlsim/CMakeLists.txt builds the model with -mpopcnt).
//
// Limits: defined once, in estimators/pe/pelimits.h (kPeLimits), with the C++ adapter and the spec
// check. The parameter defaults below are the same values, but the build does not rely on them:
// rtlsim/CMakeLists.txt reads LANES, DW, AW and IDXW from the header and overrides the defaults with
// -G (the Verilator build and the lint test). Widths that are not parameters follow the header
// too: out_data's 32 bits are kPeLimits.outputBits, cfg_shift's 6 bits bound kPeLimits.shift.
module cdx_pe #(
    parameter int LANES = 16,
    parameter int DW = 16,
    parameter int AW = 64,
    parameter int IDXW = 12
) (
    input  logic                  clk,
    input  logic                  rst_n,
    // configuration, held while a job runs
    input  logic [1:0]            cfg_mode,
    input  logic [4:0]            cfg_wbits,
    input  logic [4:0]            cfg_abits,
    input  logic                  cfg_wsigned,
    input  logic                  cfg_asigned,
    input  logic [6:0]            cfg_accbits,
    input  logic [4:0]            cfg_serial_bits,
    input  logic [5:0]            cfg_shift,
    input  logic                  cfg_round,
    input  logic [5:0]            cfg_outbits,
    input  logic                  cfg_relu,
    // activation buffer writes (sparse mode): the kept lanes write entries waddr + lane
    input  logic                  act_we,
    input  logic [IDXW-1:0]       act_waddr,
    input  logic [DW-1:0]         act_wdata [LANES],
    input  logic [LANES-1:0]      act_wkeep,
    // operand stream
    input  logic                  in_valid,
    output logic                  in_ready,
    input  logic [DW-1:0]         in_w [LANES],
    input  logic [DW-1:0]         in_a [LANES],
    input  logic [IDXW-1:0]       in_idx [LANES],
    input  logic [LANES-1:0]      in_keep,
    input  logic                  in_last,
    // result stream
    output logic                  out_valid,
    input  logic                  out_ready,
    output logic [31:0]           out_data [LANES],
    output logic [LANES-1:0]      out_keep,
    // statistics
    output logic [63:0]           stat_toggles,
    output logic [63:0]           stat_products
);
    localparam logic [1:0] MODE_SPATIAL = 2'd0;
    localparam logic [1:0] MODE_TEMPORAL = 2'd1;
    localparam logic [1:0] MODE_SPARSE = 2'd2;
    localparam logic [1:0] MODE_SERIAL = 2'd3;
    localparam int OW = DW + 1;  // an operand register: DW bits, sign- or zero-extended by one

    // Mask of the low `bits` bits.
    function automatic logic [DW-1:0] low_mask(input logic [4:0] bits);
        return DW'(({{DW{1'b0}}, 1'b1} << bits) - 1'b1);
    endfunction

    // Bits set in x: the SWAR sum of bit pairs, nibbles and bytes, then a multiply that adds the
    // bytes into the top one.
    function automatic logic [63:0] count_ones(input logic [63:0] x);
        logic [63:0] c = x - ((x >> 1) & 64'h5555555555555555);
        c = (c & 64'h3333333333333333) + ((c >> 2) & 64'h3333333333333333);
        c = (c + (c >> 4)) & 64'h0f0f0f0f0f0f0f0f;
        return (c * 64'h0101010101010101) >> 56;
    endfunction

    // The configuration, and what it implies, in registers: sampled on every edge while reset
    // is held, so that the datapath depends on registers only and nothing is recomputed per cycle.
    logic [1:0]    cfg_q_mode;
    logic [6:0]    cfg_q_accbits;
    logic [4:0]    cfg_q_serial_bits;
    logic [5:0]    cfg_q_shift;
    logic          cfg_q_round;
    logic [5:0]    cfg_q_outbits;
    logic          cfg_q_relu;
    logic [DW-1:0] wmask;
    logic [DW-1:0] amask;
    logic [OW-1:0] wsign;          // the sign bit of a signed operand (zero when unsigned)
    logic [OW-1:0] asign;
    logic [4:0]    serial_steps;   // bit-serial steps per beat: ceil(wbits / serial_bits)
    logic [OW-1:0] serial_low;     // the mask of one serial slice
    always_ff @(posedge clk) begin
        if (!rst_n) begin
            cfg_q_mode <= cfg_mode;
            cfg_q_accbits <= cfg_accbits;
            cfg_q_serial_bits <= cfg_serial_bits;
            cfg_q_shift <= cfg_shift;
            cfg_q_round <= cfg_round;
            cfg_q_outbits <= cfg_outbits;
            cfg_q_relu <= cfg_relu;
            wmask <= low_mask(cfg_wbits);
            amask <= low_mask(cfg_abits);
            wsign <= cfg_wsigned ? {1'b0, low_mask(cfg_wbits) ^ (low_mask(cfg_wbits) >> 1)} : '0;
            asign <= cfg_asigned ? {1'b0, low_mask(cfg_abits) ^ (low_mask(cfg_abits) >> 1)} : '0;
            serial_steps <= 5'(({1'b0, cfg_wbits} + {1'b0, cfg_serial_bits} - 6'd1) / {1'b0, cfg_serial_bits});
            serial_low <= OW'(low_mask(cfg_serial_bits));
        end
    end

    logic mode_serial;
    logic mode_temporal;
    logic mode_sparse;
    assign mode_serial = cfg_q_mode == MODE_SERIAL;
    assign mode_temporal = cfg_q_mode == MODE_TEMPORAL;
    assign mode_sparse = cfg_q_mode == MODE_SPARSE;

    // The quantiser: wrap to the accumulator width, ReLU, shift, saturate.
    function automatic logic [31:0] quantise(input logic signed [AW-1:0] acc);
        logic [6:0] unused = 7'(AW) - cfg_q_accbits;
        logic signed [AW-1:0] wrapped = (acc <<< unused) >>> unused;
        logic signed [AW-1:0] rounding = '0;
        logic signed [AW-1:0] shifted;
        logic signed [AW-1:0] top;
        logic signed [AW-1:0] bottom;
        if (cfg_q_relu && wrapped < 0)
            wrapped = '0;
        if (cfg_q_round && cfg_q_shift != 6'd0)
            rounding = AW'(1) <<< (cfg_q_shift - 6'd1);
        shifted = (wrapped + rounding) >>> cfg_q_shift;
        top = (AW'(1) <<< (cfg_q_outbits - 6'd1)) - AW'(1);
        bottom = -(AW'(1) <<< (cfg_q_outbits - 6'd1));
        if (shifted > top)
            shifted = top;
        else if (shifted < bottom)
            shifted = bottom;
        return shifted[31:0];
    endfunction

    // A masked operand, sign-extended when `sign` holds its sign bit.
    function automatic logic signed [OW-1:0] extend(input logic [DW-1:0] raw, input logic [OW-1:0] sign);
        return (OW'(raw) ^ sign) - sign;
    endfunction

    // Activation buffer.
    logic [DW-1:0] act_mem [1 << IDXW];
    always_ff @(posedge clk) begin
        if (act_we) begin
            for (int l = 0; l < LANES; l++)
                if (act_wkeep[l])
                    act_mem[act_waddr + IDXW'(l)] <= act_wdata[l] & amask;
        end
    end

    // The control of S1 (the multiplier inputs) and S2 (the products).
    logic             s1_valid;
    logic             s1_last;
    logic [LANES-1:0] s1_keep;
    logic [4:0]       s1_step;
    logic [6:0]       s1_offset;  // the weight bit that the current serial step starts at
    logic [6:0]       s1_kept;    // lanes kept by S1's beat
    logic             s2_valid;
    logic             s2_last;
    logic [LANES-1:0] s2_keep;

    logic advance;
    logic s1_final_step;
    assign advance = !out_valid || out_ready;
    assign s1_final_step = !mode_serial || s1_step == serial_steps - 5'd1;
    assign in_ready = advance && (!s1_valid || s1_final_step);

    logic accept;
    assign accept = in_valid && in_ready;

    // The weight bits of the current serial step: its slice alone, or all the bits above
    // (with the sign) in the last step.
    logic signed [OW-1:0] serial_mask;
    assign serial_mask = s1_final_step ? '1 : serial_low;

    always_ff @(posedge clk) begin
        if (!rst_n) begin
            s1_valid <= 1'b0;
            s1_last <= 1'b0;
            s1_keep <= '0;
            s1_step <= '0;
            s1_offset <= '0;
            s1_kept <= '0;
            s2_valid <= 1'b0;
            s2_last <= 1'b0;
            s2_keep <= '0;
            out_valid <= 1'b0;
            out_keep <= '0;
            stat_products <= '0;
        end else if (advance) begin
            if (accept) begin
                s1_valid <= 1'b1;
                s1_last <= in_last;
                s1_keep <= in_keep;
                s1_step <= '0;
                s1_offset <= '0;
                s1_kept <= 7'(count_ones(64'(in_keep)));
            end else if (s1_valid && !s1_final_step) begin
                s1_step <= s1_step + 5'd1;
                s1_offset <= s1_offset + 7'(cfg_q_serial_bits);
            end else begin
                s1_valid <= 1'b0;
            end
            s2_valid <= s1_valid;
            s2_last <= s1_valid && s1_last && s1_final_step;
            s2_keep <= s1_keep;
            if (s1_valid)
                stat_products <= stat_products + 64'(s1_kept);
            out_valid <= s2_valid && s2_last;
            if (s2_valid && s2_last)
                out_keep <= mode_temporal ? s2_keep : LANES'(1);
        end
    end

    // The lanes. Lane 0's accumulator is also the spatial one, fed by the adder tree. The tree
    // and the flip counts are sums chained through the lanes.
    logic signed [AW-1:0] tree;
    for (genvar l = 0; l < LANES; l++) begin : g_lane
        logic signed [OW-1:0] w;     // S1
        logic signed [OW-1:0] a;
        logic signed [AW-1:0] p;     // S2: no reset (S2's valid bit qualifies it)
        logic signed [AW-1:0] acc;
        logic [31:0]          out;
        logic [63:0]          toggles;

        // One block, each stage before the one that feeds it: every register is read before
        // it is written.
        always_ff @(posedge clk) begin
            if (!rst_n) begin
                w <= '0;
                a <= '0;
                acc <= '0;
                toggles <= '0;
            end else if (advance) begin
                // Emit and accumulate: every lane in temporal mode, lane 0 alone (the tree)
                // otherwise.
                if (s2_valid && (l == 0 || mode_temporal)) begin
                    if (s2_last)
                        out <= quantise(acc + (mode_temporal ? p : tree));
                    acc <= s2_last ? '0 : acc + (mode_temporal ? p : tree);
                end
                // S2: the product of the whole weight or (bit-serial) of the current step's
                // slice of it, in place.
                if (!s1_valid || !s1_keep[l])
                    p <= '0;
                else if (!mode_serial)
                    p <= AW'(w) * AW'(a);
                else
                    p <= (AW'(OW'((w >>> s1_offset) & serial_mask)) <<< s1_offset) * AW'(a);
                // S1: the kept lane takes the beat's operands and counts the bit flips of the
                // bits the configured widths use.
                if (accept && in_keep[l]) begin
                    toggles <= toggles + count_ones(64'({(in_w[l] & wmask) ^ (w[DW-1:0] & wmask),
                                                         ((mode_sparse ? act_mem[in_idx[l]] : in_a[l]) & amask) ^ (a[DW-1:0] & amask)}));
                    w <= extend(in_w[l] & wmask, wsign);
                    a <= extend((mode_sparse ? act_mem[in_idx[l]] : in_a[l]) & amask, asign);
                end
            end
        end

        assign out_data[l] = out;
        logic signed [AW-1:0] tree_through;     // the products of lanes 0..l
        logic [63:0]          toggles_through;  // their flips
        if (l == 0) begin : g_first
            assign tree_through = p;
            assign toggles_through = toggles;
        end else begin : g_next
            assign tree_through = g_lane[l - 1].tree_through + p;
            assign toggles_through = g_lane[l - 1].toggles_through + toggles;
        end
    end
    assign tree = g_lane[LANES - 1].tree_through;
    assign stat_toggles = g_lane[LANES - 1].toggles_through;

    // Unused in some configurations.
    logic unused_ok;
    assign unused_ok = &{1'b0, MODE_SPATIAL};
endmodule
