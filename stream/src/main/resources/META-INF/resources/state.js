// The page's state, exposed as window.vitstreamLive for tests and for people at the console:
//   cameras:      {name: the newest CameraSummary}
//   known:        the cameras the server keeps, in its order
//   drawn:        {name: {version, overlayVersion, boxes, drawnAt}}: the frame version on the tile,
//                 the summary version whose overlays were drawn on it, boxes drawn, performance.now()
//   firstFrameMs: performance.now() when the first frame of any camera was drawn (from navigation start)
//   framesDrawn:  new frames drawn on tiles so far (all cameras)
//   heatmap:      {camera, layer, layers, cells, offset, frameOffset} of the heat map shown, or null
//   connection:   'connecting' | 'up' | 'down'
export const live = {
  cameras: {},
  known: [],
  drawn: {},
  firstFrameMs: null,
  framesDrawn: 0,
  heatmap: null,
  connection: 'connecting',
  lastEventMs: null,
  detail: null,
};

window.vitstreamLive = live;
