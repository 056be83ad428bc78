-- SPDX-License-Identifier: MIT
-- Run by test_nvim.py in `nvim --headless --clean`: the setup of
-- docs/editors.md (filetype detection, the built-in client started on
-- `ipxe-lint --lsp`, one server for the files of a folder), then what a
-- person does through Neovim's own client: read the diagnostics, jump to a
-- label, hover, list references and symbols, complete, apply a fix and a
-- "disable" action, edit, and quit.  What Neovim saw goes to $RESULT as
-- JSON (test_nvim.py compares it with what is expected); the server's exit
-- code, as the client's on_exit callback gets it, goes to $EXITED.  Any
-- error exits with status 1.
local lint = os.getenv('IPXE_LINT')
local script = os.getenv('SCRIPT')
local comp = os.getenv('COMPLETE')
local result = os.getenv('RESULT')
local exited = os.getenv('EXITED')
local out = {}
local WAIT = 15000 -- generous: a loaded 2-core machine, an ASan build

local function wait(cond)
  return vim.wait(WAIT, cond, 20)
end

-- one request through the client, its result (an error raises)
local function request(buf, method, params)
  local res, err = vim.lsp.buf_request_sync(buf, method, params, WAIT)
  if not res then error(method .. ': ' .. tostring(err)) end
  for _, r in pairs(res) do
    if r.err then error(method .. ': ' .. vim.inspect(r.err)) end
    return r.result
  end
  error(method .. ': no answer')
end

local function diagnostics(buf)
  local t = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    local lsp = d.user_data and d.user_data.lsp or {}
    table.insert(t, {
      lnum = d.lnum, col = d.col, end_col = d.end_col,
      severity = d.severity, message = d.message,
      code = d.code or lsp.code, source = d.source, range = lsp.range,
    })
  end
  table.sort(t, function(a, b)
    if a.lnum ~= b.lnum then return a.lnum < b.lnum end
    return a.col < b.col
  end)
  return t
end

local function has_code(buf, code)
  for _, d in ipairs(diagnostics(buf)) do
    if d.code == code then return true end
  end
  return false
end

-- the cursor on the first `needle` at or after line `from` (1-based),
-- `delta` bytes in
local function cursor_on(buf, needle, delta, from)
  local lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
  for i = from or 1, #lines do
    local c = lines[i]:find(needle, 1, true)
    if c then
      vim.api.nvim_win_set_cursor(0, { i, c - 1 + (delta or 0) })
      return
    end
  end
  error('no ' .. needle .. ' in the buffer')
end

local function qflist_after(fn)
  vim.fn.setqflist({}, 'r', { title = 'none', items = {} })
  fn()
  local got = wait(function()
    return #vim.fn.getqflist() > 0
  end)
  local items = {}
  for _, q in ipairs(vim.fn.getqflist()) do
    table.insert(items, { lnum = q.lnum, col = q.col, text = q.text })
  end
  vim.cmd('cclose')
  return got and items or nil
end

-- a code action as a person picks it in vim.ui.select's list: the one
-- whose title starts with `prefix`
local function code_action(prefix)
  local offered = {}
  local picked = false
  local select = vim.ui.select
  vim.ui.select = function(items, opts, on_choice)
    for _, item in ipairs(items) do
      local title = opts.format_item(item)
      table.insert(offered, title)
      if not picked and title:sub(1, #prefix) == prefix then
        picked = true
        vim.ui.select = select
        on_choice(item)
        return
      end
    end
    vim.ui.select = select
    on_choice(nil)
  end
  vim.lsp.buf.code_action()
  wait(function() return #offered > 0 end)
  vim.ui.select = select
  return offered, picked
end

local function run()
  -- filetype detection, as docs/editors.md says (an autocommand: Neovim
  -- 0.7's vim.filetype.add() is only read with g:do_filetype_lua)
  vim.api.nvim_create_autocmd({ 'BufRead', 'BufNewFile' }, {
    pattern = { '*.ipxe', '*.ipxe.j2' },
    command = 'set filetype=ipxe',
  })
  -- Neovim 0.7 (Debian 12) has no vim.lsp.start: one client for the files
  -- of a folder, as vim.lsp.start does on 0.8
  local clients = {}
  vim.api.nvim_create_autocmd('FileType', {
    pattern = 'ipxe',
    callback = function(args)
      local root = vim.fn.fnamemodify(args.file, ':p:h')
      local id = clients[root]
      if not (id and vim.lsp.get_client_by_id(id)) then
        id = vim.lsp.start_client({
          name = 'ipxe-lint',
          cmd = { lint, '--lsp' },
          root_dir = root,
          -- the test only: the default 500 ms before :qa kills the server
          -- is short on a loaded machine with an ASan build
          flags = { exit_timeout = WAIT },
          on_exit = function(code, signal)
            -- a libuv callback: plain Lua io, no vim.fn
            local f = io.open(exited, 'a')
            if f then
              f:write(string.format('%d %d\n', code, signal))
              f:close()
            end
          end,
        })
        clients[root] = id
      end
      vim.lsp.buf_attach_client(args.buf, id)
    end,
  })

  vim.cmd('edit ' .. vim.fn.fnameescape(script .. '.j2'))
  out.template_filetype = vim.bo.filetype
  vim.cmd('edit ' .. vim.fn.fnameescape(script))
  out.filetype = vim.bo.filetype
  local buf = vim.api.nvim_get_current_buf()

  out.got_diagnostics = wait(function()
    return #vim.diagnostic.get(buf) > 0
  end)
  out.diagnostics = diagnostics(buf)

  local client = vim.lsp.get_active_clients()[1]
  out.offset_encoding = client.offset_encoding
  local caps = client.server_capabilities or {}
  out.sync_change = caps.textDocumentSync and caps.textDocumentSync.change
  local st = caps.semanticTokensProvider
  out.semantic_full = st and st.full
  out.semantic_legend = st and st.legend and st.legend.tokenTypes

  -- semantic tokens: Neovim 0.7 has no client for them; the raw request
  local doc = { textDocument = vim.lsp.util.make_text_document_params() }
  local tok = request(buf, 'textDocument/semanticTokens/full', doc)
  out.semantic_data = tok and tok.data
  out.semantic_lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false)

  -- go to definition: the cursor on 'failed' in 'dhcp || goto failed'
  cursor_on(buf, 'goto failed', 5)
  out.from = vim.api.nvim_win_get_cursor(0)
  vim.lsp.buf.definition()
  out.jumped = wait(function()
    return vim.api.nvim_win_get_cursor(0)[1] ~= out.from[1]
  end)
  out.to = vim.api.nvim_win_get_cursor(0)
  out.to_line = vim.api.nvim_get_current_line()

  -- the same from a line with a non-ASCII character before the label: the
  -- client sends the cursor in UTF-16 units
  cursor_on(buf, 'goto failed', 5, 11)
  out.utf16_from = vim.api.nvim_win_get_cursor(0)
  vim.lsp.buf.definition()
  wait(function()
    return vim.api.nvim_win_get_cursor(0)[1] ~= out.utf16_from[1]
  end)
  out.utf16_to = vim.api.nvim_win_get_cursor(0)

  -- hover on the command at the start of the line holding the typo
  local params = vim.lsp.util.make_position_params()
  params.position = { line = 3, character = 1 }
  local h = request(buf, 'textDocument/hover', params)
  out.hover = h and h.contents and h.contents.value

  -- references of a label, as vim.lsp.buf.references() lists them
  cursor_on(buf, ':failed', 2)
  out.references = qflist_after(function() vim.lsp.buf.references() end)

  -- document symbols, as vim.lsp.buf.document_symbol() lists them, and
  -- the hierarchy the server answered
  out.symbols = qflist_after(function() vim.lsp.buf.document_symbol() end)
  local syms = request(buf, 'textDocument/documentSymbol', doc)
  out.symbol_tree = {}
  for _, s in ipairs(syms or {}) do
    local children = {}
    for _, c in ipairs(s.children or {}) do table.insert(children, c.name) end
    table.insert(out.symbol_tree, { name = s.name, kind = s.kind,
                                    line = s.range.start.line,
                                    children = children })
  end

  -- completion, as Neovim's omnifunc turns the answer into its items
  vim.cmd('edit ' .. vim.fn.fnameescape(comp))
  local cbuf = vim.api.nvim_get_current_buf()
  wait(function() return #vim.lsp.buf_get_clients(cbuf) > 0 end)
  out.completion = {}
  for _, c in ipairs({ { 'command', 3, 'ch' }, { 'label', 4, '' },
                       { 'setting', 5, 'ta' } }) do
    -- at the end of the line, where insert mode's cursor is (normal
    -- mode's stops on the last character); the lines are ASCII
    local line = vim.api.nvim_buf_get_lines(cbuf, c[2], c[2] + 1, false)[1]
    local p = vim.lsp.util.make_position_params()
    p.position = { line = c[2], character = #line }
    local r = request(cbuf, 'textDocument/completion', p)
    local words = {}
    local util = vim.lsp.util
    for _, item in ipairs(
        util.text_document_completion_list_to_complete_items(r, c[3])) do
      table.insert(words, item.word)
    end
    table.sort(words)
    out.completion[c[1]] = words
  end
  vim.cmd('buffer ' .. buf)
  wait(function() return has_code(buf, 'IPX1006') end)

  -- a fix, as vim.lsp.buf.code_action() offers and applies it: the quotes
  -- on the line with non-ASCII characters (a UTF-16 edit); the cursor on
  -- the finding (the server offers the fixes of the findings under the
  -- range Neovim sends, the cursor)
  cursor_on(buf, '"Loading', 0)
  local row = vim.api.nvim_win_get_cursor(0)[1]
  local before = vim.api.nvim_get_current_line()
  out.fix_offered, out.fix_picked = code_action('Fix IPX1006')
  out.fix_applied = wait(function()
    return vim.api.nvim_buf_get_lines(buf, row - 1, row, false)[1] ~= before
  end)
  out.fix_line = vim.api.nvim_buf_get_lines(buf, row - 1, row, false)[1]
  out.fix_gone = wait(function() return not has_code(buf, 'IPX1006') end)

  -- "disable this rule on this line"
  cursor_on(buf, 'goto strat', 6)
  row = vim.api.nvim_win_get_cursor(0)[1]
  before = vim.api.nvim_get_current_line()
  out.disable_offered, out.disable_picked = code_action('Disable IPX2001')
  wait(function()
    return vim.api.nvim_buf_get_lines(buf, row - 1, row, false)[1] ~= before
  end)
  out.disable_line = vim.api.nvim_buf_get_lines(buf, row - 1, row, false)[1]
  out.disable_gone = wait(function() return not has_code(buf, 'IPX2001') end)

  -- incremental sync: the typo'd command mended, a wrong goto added
  vim.api.nvim_buf_set_lines(buf, 3, 4, false,
                             { 'chain http://boot.example.net/menu.ipxe' })
  out.edit_mended = wait(function() return not has_code(buf, 'IPX2101') end)
  vim.api.nvim_buf_set_lines(buf, 2, 2, false, { 'goto nowhere' })
  out.edit_added = wait(function()
    for _, d in ipairs(diagnostics(buf)) do
      if d.code == 'IPX2001' and d.lnum == 2 then return true end
    end
    return false
  end)
  out.final_diagnostics = diagnostics(buf)
  out.final_lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false)

  out.clients = #vim.lsp.get_active_clients()
end

local ok, err = pcall(run)
out.ok = ok
out.error = err and tostring(err) or nil
vim.fn.writefile({ vim.fn.json_encode(out) }, result)
if not ok then vim.cmd('cquit 1') end
-- quit as a person does: Neovim shuts the server down (shutdown, exit)
vim.cmd('silent wall')
vim.cmd('qall')
