// Instantiates cdx_pe from an exported design package (cdx export --to verilog).
module cdx_export_top
    import cdx_design_pkg::*;
(
    input  logic clk,
    input  logic rst_n,
    output logic sink
);
    localparam int LANES = PE_LANES < 16 ? 16 : PE_LANES;
    localparam pe_cfg_t CFG = CFG_conv1;
    logic [PE_DW-1:0] w [LANES];
    logic [PE_DW-1:0] a [LANES];
    logic [11:0] idx [LANES];
    logic [31:0] data [LANES];
    logic [LANES-1:0] keep;
    logic in_ready, out_valid;
    logic [63:0] toggles, products;
    always_comb for (int l = 0; l < LANES; l++) begin
        w[l] = PE_DW'(l);
        a[l] = PE_DW'(l + 1);
        idx[l] = 12'(l);
    end
    cdx_pe #(.LANES(LANES), .DW(PE_DW)) pe (
        .clk, .rst_n,
        .cfg_mode(CFG.mode), .cfg_wbits(CFG.wbits), .cfg_abits(CFG.abits), .cfg_wsigned(1'b1), .cfg_asigned(1'b1),
        .cfg_accbits(CFG.accbits), .cfg_serial_bits(CFG.serial_bits), .cfg_shift(6'd0), .cfg_round(1'b1),
        .cfg_outbits(6'd16), .cfg_relu(1'b0),
        .act_we(1'b0), .act_waddr(12'd0), .act_wdata(a), .act_wkeep('0),
        .in_valid(1'b1), .in_ready, .in_w(w), .in_a(a), .in_idx(idx), .in_keep('1), .in_last(1'b1),
        .out_valid, .out_ready(1'b1), .out_data(data), .out_keep(keep),
        .stat_toggles(toggles), .stat_products(products));
    always_comb begin
        sink = in_ready ^ out_valid ^ (^keep) ^ (^toggles) ^ (^products) ^ (^CFG.lanes);
        for (int l = 0; l < LANES; l++)
            sink = sink ^ (^data[l]);
    end
endmodule
