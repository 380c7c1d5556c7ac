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
// The configuration ports are registered on every edge: hold them for an edge (during reset)
// before a job starts.
//
// Reset (rst_n low) is synchronous: hold it over a rising edge.
//
// Pipeline: operand registers (S1, the multiplier inputs), product registers (S2), then the
// accumulator and the output register. A beat accepted at edge t reaches the output register at
// edge t + 2; a bit-serial beat holds S1 for ceil(wbits / serial_bits) edges. A full output
// register that is not taken (out_ready low) stalls the whole pipeline.
//
// Statistics: stat_toggles counts bit flips of the multiplier-input registers (the configured
// operand bits of the kept lanes; a lane that is not kept holds its value, as a gated register
// would), stat_products the lane products performed (a bit-serial slice counts as one).
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
    // The configuration, registered: every edge copies the ports, so that the datapath's
    // logic depends on registers only (and Verilator evaluates it once per clock edge).
    logic [1:0]  cfg_q_mode;
    logic [4:0]  cfg_q_wbits;
    logic [4:0]  cfg_q_abits;
    logic        cfg_q_wsigned;
    logic        cfg_q_asigned;
    logic [6:0]  cfg_q_accbits;
    logic [4:0]  cfg_q_serial_bits;
    logic [5:0]  cfg_q_shift;
    logic        cfg_q_round;
    logic [5:0]  cfg_q_outbits;
    logic        cfg_q_relu;
    always_ff @(posedge clk) begin
        cfg_q_mode <= cfg_mode;
        cfg_q_wbits <= cfg_wbits;
        cfg_q_abits <= cfg_abits;
        cfg_q_wsigned <= cfg_wsigned;
        cfg_q_asigned <= cfg_asigned;
        cfg_q_accbits <= cfg_accbits;
        cfg_q_serial_bits <= cfg_serial_bits;
        cfg_q_shift <= cfg_shift;
        cfg_q_round <= cfg_round;
        cfg_q_outbits <= cfg_outbits;
        cfg_q_relu <= cfg_relu;
    end

    localparam logic [1:0] MODE_SPATIAL = 2'd0;
    localparam logic [1:0] MODE_TEMPORAL = 2'd1;
    localparam logic [1:0] MODE_SPARSE = 2'd2;
    localparam logic [1:0] MODE_SERIAL = 2'd3;
    localparam int PW = 2 * DW + 16;  // product of the widest operands, shifted by a serial slice

    // Mask of the low `bits` bits.
    function automatic logic [DW-1:0] low_mask(input logic [4:0] bits);
        return DW'(({{DW{1'b0}}, 1'b1} << bits) - 1'b1);
    endfunction

    // Raw operand bits, sign- or zero-extended to DW + 1 bits.
    function automatic logic signed [DW:0] extend(input logic [DW-1:0] raw, input logic [4:0] bits,
                                                  input logic is_signed);
        logic [DW:0] wide = {1'b0, raw};
        logic [DW:0] sign_fill = ~({1'b0, low_mask(bits)});
        if (is_signed && raw[4'(bits - 5'd1)])
            wide = wide | sign_fill;
        return wide;
    endfunction

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

    logic [DW-1:0] wmask;
    logic [DW-1:0] amask;
    assign wmask = low_mask(cfg_q_wbits);
    assign amask = low_mask(cfg_q_abits);

    // Bit-serial steps per beat: ceil(wbits / serial_bits).
    logic [4:0] serial_steps;
    always_comb begin
        logic [5:0] sum = {1'b0, cfg_q_wbits} + {1'b0, cfg_q_serial_bits} - 6'd1;
        serial_steps = 5'(sum / {1'b0, cfg_q_serial_bits});
    end

    // Activation buffer.
    logic [DW-1:0] act_mem [1 << IDXW];

    // S1: the multiplier-input registers.
    logic                 s1_valid;
    logic                 s1_last;
    logic [LANES-1:0]     s1_keep;
    logic [4:0]           s1_step;
    logic signed [DW:0]   s1_w [LANES];  // sign- or zero-extended from the configured width
    logic signed [DW:0]   s1_a [LANES];
    // S2: the product registers.
    logic                 s2_valid;
    logic                 s2_last;
    logic [LANES-1:0]     s2_keep;
    logic signed [PW-1:0] s2_p [LANES];
    // Accumulators: lane 0's is the spatial one.
    logic signed [AW-1:0] acc [LANES];

    logic advance;
    logic s1_final_step;
    assign advance = !out_valid || out_ready;
    assign s1_final_step = cfg_q_mode != MODE_SERIAL || s1_step == serial_steps - 5'd1;
    assign in_ready = advance && (!s1_valid || s1_final_step);

    logic accept;
    assign accept = in_valid && in_ready;

    // The weight bits of the current serial step.
    logic [6:0] serial_offset;
    logic signed [DW:0] serial_mask;
    assign serial_offset = 7'(s1_step) * 7'(cfg_q_serial_bits);
    assign serial_mask = (DW+1)'(low_mask(cfg_q_serial_bits));

    // One lane's product: the whole weight, or (bit-serial) the current step's slice of it in place.
    function automatic logic signed [PW-1:0] lane_product(input logic signed [DW:0] w, input logic signed [DW:0] a);
        logic signed [DW:0] slice;
        if (cfg_q_mode != MODE_SERIAL)
            return PW'(w) * PW'(a);
        slice = w >>> serial_offset;
        if (!s1_final_step)
            slice = slice & serial_mask;
        return (PW'(slice) <<< serial_offset) * PW'(a);
    endfunction

    // Products of S1's current step.
    logic signed [PW-1:0] product [LANES];
    logic [63:0]          kept_lanes;
    always_comb begin
        kept_lanes = 64'($countones(s1_keep));
        for (int l = 0; l < LANES; l++)
            product[l] = s1_keep[l] ? lane_product(s1_w[l], s1_a[l]) : '0;
    end

    // Sum of S2's products (the adder tree).
    logic signed [AW-1:0] tree;
    always_comb begin
        tree = '0;
        for (int l = 0; l < LANES; l++)
            tree = tree + AW'(s2_p[l]);
    end

    // The product registers: no reset (S2's valid bit qualifies them).
    always_ff @(posedge clk) begin
        if (advance)
            for (int l = 0; l < LANES; l++)
                s2_p[l] <= s1_valid ? product[l] : '0;
    end

    always_ff @(posedge clk) begin
        if (act_we) begin
            for (int l = 0; l < LANES; l++)
                if (act_wkeep[l])
                    act_mem[act_waddr + IDXW'(l)] <= act_wdata[l] & amask;
        end
    end

    always_ff @(posedge clk) begin
        if (!rst_n) begin
            s1_valid <= 1'b0;
            s1_last <= 1'b0;
            s1_keep <= '0;
            s1_step <= '0;
            s2_valid <= 1'b0;
            s2_last <= 1'b0;
            s2_keep <= '0;
            out_valid <= 1'b0;
            out_keep <= '0;
            stat_toggles <= '0;
            stat_products <= '0;
            for (int l = 0; l < LANES; l++) begin
                s1_w[l] <= '0;
                s1_a[l] <= '0;
                acc[l] <= '0;
            end
        end else if (advance) begin
            // S1
            if (accept) begin
                // The next operands of every kept lane, and their bit flips. (Computed here,
                // on the clock edge, rather than in an always_comb: Verilator then evaluates
                // them once per cycle instead of on every input change.)
                logic [63:0] flips = '0;
                s1_valid <= 1'b1;
                s1_last <= in_last;
                s1_keep <= in_keep;
                s1_step <= '0;
                for (int l = 0; l < LANES; l++) begin
                    if (in_keep[l]) begin
                        logic [DW-1:0] next_w = in_w[l] & wmask;
                        logic [DW-1:0] next_a = (cfg_q_mode == MODE_SPARSE ? act_mem[in_idx[l]] : in_a[l]) & amask;
                        // Flips of the register bits the configured width uses.
                        flips = flips + 64'($countones(next_w ^ (s1_w[l][DW-1:0] & wmask)))
                                      + 64'($countones(next_a ^ (s1_a[l][DW-1:0] & amask)));
                        s1_w[l] <= extend(next_w, cfg_q_wbits, cfg_q_wsigned);
                        s1_a[l] <= extend(next_a, cfg_q_abits, cfg_q_asigned);
                    end
                end
                stat_toggles <= stat_toggles + flips;
            end else if (s1_valid && !s1_final_step) begin
                s1_step <= s1_step + 5'd1;
            end else begin
                s1_valid <= 1'b0;
            end
            // S2
            s2_valid <= s1_valid;
            s2_last <= s1_valid && s1_last && s1_final_step;
            s2_keep <= s1_keep;
            if (s1_valid)
                stat_products <= stat_products + kept_lanes;
            // Accumulate and emit.
            out_valid <= 1'b0;
            if (s2_valid) begin
                if (cfg_q_mode == MODE_TEMPORAL) begin
                    for (int l = 0; l < LANES; l++) begin
                        logic signed [AW-1:0] sum = acc[l] + AW'(s2_p[l]);
                        acc[l] <= s2_last ? '0 : sum;
                        if (s2_last)
                            out_data[l] <= quantise(sum);
                    end
                    if (s2_last) begin
                        out_valid <= 1'b1;
                        out_keep <= s2_keep;
                    end
                end else begin
                    logic signed [AW-1:0] sum = acc[0] + tree;
                    acc[0] <= s2_last ? '0 : sum;
                    if (s2_last) begin
                        out_valid <= 1'b1;
                        out_keep <= {{(LANES-1){1'b0}}, 1'b1};
                        out_data[0] <= quantise(sum);
                    end
                end
            end
        end
    end

    // Unused in some configurations.
    logic unused_ok;
    assign unused_ok = &{1'b0, MODE_SPATIAL};
endmodule
