-- SPDX-License-Identifier: MIT
-- Run by test_nvim.py in `nvim --headless --clean`: the setup of
-- docs/editors.md (filetype detection, the built-in client started on
-- `ipxe-lint --lsp`), then what a person does: open a script with a typo,
-- read the diagnostics, jump to a label's definition.  What it saw goes to
-- $RESULT as JSON; any error exits with status 1.
local lint = os.getenv('IPXE_LINT')
local script = os.getenv('SCRIPT')
local result = os.getenv('RESULT')
local out = {}

local function run()
  -- filetype detection, as docs/editors.md says (an autocommand: Neovim
  -- 0.7's vim.filetype.add() is only read with g:do_filetype_lua)
  vim.api.nvim_create_autocmd({ 'BufRead', 'BufNewFile' }, {
    pattern = { '*.ipxe', '*.ipxe.j2' },
    command = 'set filetype=ipxe',
  })
  vim.api.nvim_create_autocmd('FileType', {
    pattern = 'ipxe',
    callback = function(args)
      local start = vim.lsp.start or function(config)
        -- Neovim 0.7 (Debian 12) has no vim.lsp.start
        local id = vim.lsp.start_client(config)
        vim.lsp.buf_attach_client(args.buf, id)
        return id
      end
      start({
        name = 'ipxe-lint',
        cmd = { lint, '--lsp' },
        root_dir = vim.fn.fnamemodify(args.file, ':p:h'),
      })
    end,
  })

  vim.cmd('edit ' .. vim.fn.fnameescape(script .. '.j2'))
  out.template_filetype = vim.bo.filetype
  vim.cmd('edit ' .. vim.fn.fnameescape(script))
  out.filetype = vim.bo.filetype
  local buf = vim.api.nvim_get_current_buf()

  out.got_diagnostics = vim.wait(10000, function()
    return #vim.diagnostic.get(buf) > 0
  end, 20)
  out.diagnostics = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    local lsp = d.user_data and d.user_data.lsp or {}
    table.insert(out.diagnostics, {
      lnum = d.lnum, col = d.col, severity = d.severity,
      message = d.message, code = d.code or lsp.code,
      source = d.source,
    })
  end

  -- the cursor on 'failed' in 'dhcp || goto failed', then go to definition
  local lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
  for i, l in ipairs(lines) do
    local c = l:find('goto failed', 1, true)
    if c then
      vim.api.nvim_win_set_cursor(0, { i, c + 5 })
      break
    end
  end
  out.from = vim.api.nvim_win_get_cursor(0)
  vim.lsp.buf.definition()
  out.jumped = vim.wait(10000, function()
    return vim.api.nvim_win_get_cursor(0)[1] ~= out.from[1]
  end, 20)
  out.to = vim.api.nvim_win_get_cursor(0)
  out.to_line = vim.api.nvim_get_current_line()

  -- hover on the command at the start of the line holding the typo
  local params = vim.lsp.util.make_position_params()
  params.position = { line = 3, character = 1 }
  local res = vim.lsp.buf_request_sync(buf, 'textDocument/hover', params,
                                       10000)
  for _, r in pairs(res or {}) do
    if r.result then out.hover = r.result.contents.value end
  end
end

local ok, err = pcall(run)
out.ok = ok
out.error = err and tostring(err) or nil
vim.fn.writefile({ vim.fn.json_encode(out) }, result)
for _, client in pairs(vim.lsp.get_active_clients()) do
  client.stop()
end
vim.wait(2000, function() return #vim.lsp.get_active_clients() == 0 end, 20)
if ok then vim.cmd('qall!') else vim.cmd('cquit 1') end
